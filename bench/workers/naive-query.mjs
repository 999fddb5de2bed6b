// The naive server's worker: one query per task, on its own copy of the sample (plainly,
// each worker ingests the data itself).
import { DataIngestor } from '@lestats/core';

const data = DataIngestor.sample();
export default ({ name, params }) => data.queryJson(name, params);
