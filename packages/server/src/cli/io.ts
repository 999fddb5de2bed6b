/** Where the CLI writes: the process's streams, or test doubles. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  /** `isTTY` turns on progress output while a big file is read. */
  stderr: { write(text: string): unknown; isTTY?: boolean };
}
