/** Where the CLI writes: the process's streams, or test doubles. */
export interface CliIo {
  /** `write` returning false and `once('drain')` let long output wait for a slow reader. */
  stdout: { write(text: string): unknown; once?(event: 'drain', listener: () => void): unknown };
  /** `isTTY` turns on progress output while a big file is read. */
  stderr: { write(text: string): unknown; isTTY?: boolean };
}
