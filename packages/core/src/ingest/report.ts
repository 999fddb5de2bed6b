/** What ingest did with the rows of a file: how many it read, kept, and skipped by reason. */
export interface IngestReport {
  /** Data rows read (the header and blank lines are not rows). */
  rows: number;
  /** Rows that count for the statistics. */
  kept: number;
  /** Rows skipped, by the first rule each one broke. */
  skipped: {
    emptyQuestion: number;
    emptyLocation: number;
    nonNumericValue: number;
    outsideYears: number;
  };
}

/** A report with every count at zero, ready to be filled in while reading. */
export function emptyReport(): IngestReport {
  return { rows: 0, kept: 0, skipped: { emptyQuestion: 0, emptyLocation: 0, nonNumericValue: 0, outsideYears: 0 } };
}
