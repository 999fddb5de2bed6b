// pino-roll ships no types; this declares the part of its API the server uses.
declare module 'pino-roll' {
  import type pino from 'pino';

  /** The SonicBoom stream pino-roll returns; `file` is the file it writes now. */
  export type RollingStream = ReturnType<typeof pino.destination> & { readonly file: string };

  export interface PinoRollOptions {
    /** Base path; pino-roll writes `<base>.<n>.<extension>`. */
    file: string;
    /** Size of a file before rolling: a number of MB, or a string with unit `b`, `k`, `m` or `g`. */
    size?: number | string;
    mkdir?: boolean;
    /** Passed on to SonicBoom: bytes kept waiting for the disk, beyond which lines are dropped. */
    maxLength?: number;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<RollingStream>;
}
