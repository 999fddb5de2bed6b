/** Dictionary encoding: each distinct string gets the next small integer code. */
export class Dictionary {
  readonly values: string[] = [];
  readonly #codes = new Map<string, number>();

  /** The code of `value`, adding it when new. */
  encode(value: string): number {
    let code = this.#codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.#codes.set(value, code);
      this.values.push(value);
    }
    return code;
  }
}
