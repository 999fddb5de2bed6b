const PAGE_BITS = 16;
const PAGE_SIZE = 1 << PAGE_BITS;

/**
 * One byte per job id, in pages allocated on first use: a million finished jobs cost a
 * megabyte, and a stray huge id recovered from disk costs one page, not a giant array.
 * Code 0 means "no such job".
 */
export class StatusTable {
  readonly #pages = new Map<number, Uint8Array>();

  get(id: number): number {
    return this.#pages.get(Math.floor(id / PAGE_SIZE))?.[id % PAGE_SIZE] ?? 0;
  }

  set(id: number, code: number): void {
    const page = Math.floor(id / PAGE_SIZE);
    let bytes = this.#pages.get(page);
    if (bytes === undefined) {
      bytes = new Uint8Array(PAGE_SIZE);
      this.#pages.set(page, bytes);
    }
    bytes[id % PAGE_SIZE] = code;
  }

  /** Known ids with their codes, in ascending id order. */
  *entries(): Generator<[id: number, code: number]> {
    for (const page of [...this.#pages.keys()].sort((a, b) => a - b)) {
      const bytes = this.#pages.get(page) as Uint8Array;
      for (let i = 0; i < PAGE_SIZE; i++) {
        const code = bytes[i] as number;
        if (code !== 0) yield [page * PAGE_SIZE + i, code];
      }
    }
  }
}
