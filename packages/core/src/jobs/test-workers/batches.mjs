// Answers every job with the size of the batch it came in and the thread that ran it.
import { threadId } from 'node:worker_threads';
import { onBoard } from './board.mjs';

const { decodeBatch } = await import('../batch.ts');

export default onBoard((payload) => {
  const jobs = [...decodeBatch(payload)];
  const json = JSON.stringify({ batch: jobs.length, thread: threadId });
  return jobs.map(() => ({ status: 'done', json }));
});
