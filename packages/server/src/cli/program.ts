import {
  type DataIngestor,
  QUERIES,
  QUERY_NAMES,
  type QueryName,
  type StateParams,
  sampleCsvChunks,
} from '@lestats/core';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { version } from '../../package.json';
import type { LeStatsServer } from '../serve';
import type { CliIo } from './io';
import { type DataFlags, loadData } from './load-data';
import { adminToken, checkedThreads, notBlank, redisUrl, threadCount, wholeNumber, yearWindow } from './parsers';

interface ServeFlags extends DataFlags {
  host: string;
  port: number;
  threads?: number;
  resultsDir?: string;
  store?: string;
  logFile: string;
  adminToken?: string;
  exitOnDrain?: boolean;
  pretty?: boolean;
}

interface QueryFlags extends DataFlags {
  question: string;
  state?: string;
}

const STATE_QUERIES = QUERY_NAMES.filter((name) => QUERIES[name].withState).join(', ');

const dataOption = () =>
  new Option('--data <file>', 'CDC BRFSS CSV file (default: the built-in synthetic sample)').argParser(
    notBlank('the path of a CSV file'),
  );
const yearsOption = () =>
  new Option('--years <from-to>', 'count only rows with from <= YearStart and YearEnd <= to').argParser(yearWindow);

function describeServer(server: LeStatsServer, data: DataIngestor, flags: ServeFlags): string {
  const { rows, kept } = data.report;
  return `lestats: serving ${server.url} (data: ${data.source}, ${rows} rows, ${kept} kept; results in ${server.results}; log in ${flags.logFile})\n`;
}

/** Takes over a started server's lifetime (signals, exit); called before anything is printed. */
export type ServeHandler = (server: LeStatsServer, exitOnDrain: boolean) => void;

/** The `lestats` program: `serve`, `query` and `sample`. Output goes to `io`. */
export function buildProgram(io: CliIo, onServe: ServeHandler): Command {
  const program = new Command('lestats')
    .description('Statistics over the CDC BRFSS nutrition, physical activity and obesity data set.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    // Errors are reported by the caller as one line; help and version still print here.
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: () => {},
    });

  program
    .command('serve')
    .description('serve the HTTP API (POST /api/<query>, GET /api/get_results/<job_id>, …)')
    .addOption(dataOption())
    .addOption(yearsOption())
    .option('--host <host>', 'interface to listen on', notBlank('a host name or an IP address'), '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', wholeNumber(0, 65_535), 5000)
    .option('--threads <n>', 'worker threads (default: TP_NUM_OF_THREADS, else one per core)', threadCount)
    .option(
      '--results-dir <dir>',
      "folder of result files; jobs already there stay retrievable (default: results; with --store, where copies of this instance's outcomes go, default: a temporary folder)",
      notBlank('a folder'),
    )
    .option(
      '--store <url>',
      'redis://host:port/db: share ids, statuses and results with every instance on that Redis (default: files in --results-dir)',
      redisUrl,
    )
    .option(
      '--log-file <file>',
      'JSON-lines request and job log, rotated at 10 MiB, 5 files kept',
      notBlank('a file name'),
      'webserver.log',
    )
    .addOption(
      new Option('--admin-token <token>', 'require "Authorization: Bearer <token>" on /api/graceful_shutdown')
        .env('LESTATS_ADMIN_TOKEN')
        .argParser(adminToken),
    )
    .option('--exit-on-drain', 'exit once a graceful shutdown has finished every accepted job')
    .option('--pretty', 'also print the log, human-readable, to stdout')
    .action(async (flags: ServeFlags) => {
      // --threads was checked as it was parsed; without it, TP_NUM_OF_THREADS is checked here.
      const threads = flags.threads ?? checkedThreads();
      const data = await loadData(flags, io);
      // Loaded on demand: query and sample start faster without the server's dependencies.
      const { serve } = await import('../serve');
      const server = await serve({
        data,
        host: flags.host,
        port: flags.port,
        threads,
        resultsDir: flags.resultsDir,
        store: flags.store,
        adminToken: flags.adminToken,
        log: { file: flags.logFile, pretty: flags.pretty },
      });
      // Before the banner: whoever reads it may signal at once, and must find handlers in place.
      onServe(server, flags.exitOnDrain === true);
      io.stdout.write(describeServer(server, data, flags));
    });

  program
    .command('query')
    .description('print the result JSON of one query, exactly as the HTTP API returns it in "data"')
    .addArgument(new Argument('<query>', 'the query').choices(QUERY_NAMES))
    .requiredOption('--question <text>', 'the question, exactly as written in the data')
    .option('--state <name>', `the state, for ${STATE_QUERIES}`)
    .addOption(dataOption())
    .addOption(yearsOption())
    .action(async (query: QueryName, flags: QueryFlags) => {
      // Checked before the data is read, which can take a while. Ignoring --state would print
      // every state's answer to a user who asked about one.
      if (flags.state !== undefined && !QUERIES[query].withState)
        throw new InvalidArgumentError(`--state is not taken by ${query}, only by ${STATE_QUERIES}`);
      if (flags.state === undefined && QUERIES[query].withState)
        throw new InvalidArgumentError(`${query} needs --state <name>`);
      const data = await loadData(flags, io);
      const params = { question: flags.question, state: flags.state } as StateParams;
      io.stdout.write(`${data.queryJson(query, params)}\n`);
    });

  program
    .command('sample')
    .description('write the synthetic sample CSV (the real file’s shape, not real data) to stdout')
    .option('--rows <n>', 'data rows (default: 18000)', wholeNumber(0))
    .option(
      '--seed <s>',
      'generator seed; the same seed gives the same file (default: 1)',
      wholeNumber(Number.MIN_SAFE_INTEGER),
    )
    .action(async (flags: { rows?: number; seed?: number }) => {
      // In pieces, waiting for the reader when it falls behind: any number of rows, in flat memory.
      const { stdout } = io;
      const drained = () => new Promise<void>((resolve) => (stdout.once ? stdout.once('drain', resolve) : resolve()));
      for (const chunk of sampleCsvChunks(flags)) if (stdout.write(chunk) === false) await drained();
    });

  return program;
}
