/** A waiting job: its number, its query (index in the query table), question code, cell, and when it was submitted. */
export interface QueuedJob {
  id: number;
  query: number;
  question: number;
  cell: number;
  submittedAt: number;
}

const FIELDS = 5;

/** A FIFO of waiting jobs in one growable ring of numbers: no object per waiting job. */
export class JobQueue {
  #ring = new Float64Array(1024 * FIELDS);
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push({ id, query, question, cell, submittedAt }: QueuedJob): void {
    if (this.#size * FIELDS === this.#ring.length) this.#grow();
    const at = ((this.#head + this.#size) * FIELDS) % this.#ring.length;
    this.#ring.set([id, query, question, cell, submittedAt], at);
    this.#size++;
  }

  shift(): QueuedJob | undefined {
    if (this.#size === 0) return undefined;
    const at = this.#head * FIELDS;
    const r = this.#ring;
    const job = {
      id: r[at] as number,
      query: r[at + 1] as number,
      question: r[at + 2] as number,
      cell: r[at + 3] as number,
      submittedAt: r[at + 4] as number,
    };
    this.#head = (this.#head + 1) % (r.length / FIELDS);
    this.#size--;
    return job;
  }

  #grow(): void {
    const next = new Float64Array(this.#ring.length * 2);
    for (let i = 0; i < this.#size; i++) {
      const from = ((this.#head + i) * FIELDS) % this.#ring.length;
      next.set(this.#ring.subarray(from, from + FIELDS), i * FIELDS);
    }
    this.#ring = next;
    this.#head = 0;
  }
}
