import { HttpError } from './http-error';

/** The largest request body accepted, in bytes: 64 KiB. */
export const MAX_BODY_BYTES = 64 * 1024;

// The rest of an oversized body is never read; closing the connection spares the client
// from sending it and the server from draining it.
const tooLarge = () =>
  new HttpError(413, `request body too large: at most ${MAX_BODY_BYTES} bytes`, { connection: 'close' });
const notAnObject = () => new HttpError(400, 'request body must be a JSON object');
// Decoding a whole body at once keeps no state between calls, so one decoder serves all.
const utf8 = new TextDecoder('utf-8', { fatal: true });

// Counts bytes as they arrive, so a missing or understated Content-Length cannot make the
// server buffer more than the limit; the rest of an oversized body is never read. A client
// that goes away stops the reading too: a body that never ends would otherwise hold it.
async function readLimited(body: ReadableStream<Uint8Array>, limit: number, signal: AbortSignal): Promise<Uint8Array> {
  const reader = body.getReader();
  const stop = () => void reader.cancel(signal.reason).catch(() => {});
  signal.addEventListener('abort', stop, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      // A cancelled read ends as if the body had: what came so far is not the whole body.
      signal.throwIfAborted();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  } finally {
    signal.removeEventListener('abort', stop);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Reads a request body that must be a JSON object of at most {@link MAX_BODY_BYTES}.
 * The content type is not checked: clients of the original service send JSON under any.
 * Throws {@link HttpError} 413 when too large, 400 when not a JSON object or when it breaks off.
 *
 * With `trustContentLength`, a body that declares its size is read in one piece: a
 * transport that frames bodies by Content-Length (Node's HTTP/1.1 parser) delivers no
 * more than that, and reading whole costs a fraction of counting a stream chunk by chunk.
 */
export async function readJsonObject(request: Request, trustContentLength = false): Promise<Record<string, unknown>> {
  const length = request.headers.get('content-length');
  if (Number(length) > MAX_BODY_BYTES) throw tooLarge();
  if (request.body === null) throw notAnObject();
  let bytes: ArrayBuffer | Uint8Array;
  try {
    bytes =
      trustContentLength && length !== null
        ? await request.arrayBuffer()
        : await readLimited(request.body, MAX_BODY_BYTES, request.signal);
  } catch (error) {
    // A body that breaks off is the client's or the network's doing, not a server error;
    // a client that left gets no answer at all (the handler logs 499).
    if (error instanceof HttpError || request.signal.aborted) throw error;
    throw new HttpError(400, 'request body could not be read');
  }
  // Only a Request built in code can carry more than it declares; it is refused all the same.
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new HttpError(400, 'request body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notAnObject();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notAnObject();
  return value as Record<string, unknown>;
}
