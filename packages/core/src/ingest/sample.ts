import { csvFormatRows } from 'd3-dsv';
import { fail, shown } from '../errors';
import { seededRandom } from './random';

/** Options of the synthetic sample: how many data rows, and the seed that makes them. */
export interface SampleOptions {
  /** Data rows to write (default 18 000, like the file the original service shipped). */
  rows?: number;
  /** Seed of the generator: the same seed and rows give the same file (default 1). */
  seed?: number;
}

// The real file's header, including the trailing space of `High_Confidence_Limit `.
const HEADER = [
  'YearStart',
  'YearEnd',
  'LocationAbbr',
  'LocationDesc',
  'Datasource',
  'Class',
  'Topic',
  'Question',
  'Data_Value_Unit',
  'Data_Value_Type',
  'Data_Value',
  'Data_Value_Alt',
  'Data_Value_Footnote_Symbol',
  'Data_Value_Footnote',
  'Low_Confidence_Limit',
  'High_Confidence_Limit ',
  'Sample_Size',
  'Total',
  'Age(years)',
  'Education',
  'Gender',
  'Income',
  'Race/Ethnicity',
  'GeoLocation',
  'ClassID',
  'TopicID',
  'QuestionID',
  'DataValueTypeID',
  'LocationID',
  'StratificationCategory1',
  'Stratification1',
  'StratificationCategoryId1',
  'StratificationID1',
];

const QUESTIONS: ReadonlyArray<readonly [id: string, classId: string, base: number, question: string]> = [
  ['Q036', 'OWS', 31, 'Percent of adults aged 18 years and older who have obesity'],
  ['Q037', 'OWS', 35, 'Percent of adults aged 18 years and older who have an overweight classification'],
  [
    'Q043',
    'PA',
    50,
    'Percent of adults who achieve at least 150 minutes a week of moderate-intensity aerobic physical activity or 75 minutes a week of vigorous-intensity aerobic activity (or an equivalent combination)',
  ],
  [
    'Q044',
    'PA',
    21,
    'Percent of adults who achieve at least 150 minutes a week of moderate-intensity aerobic physical activity or 75 minutes a week of vigorous-intensity aerobic physical activity and engage in muscle-strengthening activities on 2 or more days a week',
  ],
  [
    'Q045',
    'PA',
    32,
    'Percent of adults who achieve at least 300 minutes a week of moderate-intensity aerobic physical activity or 150 minutes a week of vigorous-intensity aerobic activity (or an equivalent combination)',
  ],
  ['Q046', 'PA', 30, 'Percent of adults who engage in muscle-strengthening activities on 2 or more days a week'],
  ['Q047', 'PA', 25, 'Percent of adults who engage in no leisure-time physical activity'],
  ['Q018', 'FV', 38, 'Percent of adults who report consuming fruit less than one time daily'],
  ['Q019', 'FV', 21, 'Percent of adults who report consuming vegetables less than one time daily'],
];

const CLASSES: Record<string, readonly [name: string, topic: string, topicId: string]> = {
  OWS: ['Obesity / Weight Status', 'Obesity / Weight Status', 'OWS1'],
  PA: ['Physical Activity', 'Physical Activity - Behavior', 'PA1'],
  FV: ['Fruits and Vegetables', 'Fruits and Vegetables - Behavior', 'FV1'],
};

const LOCATIONS = (
  'AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|DE Delaware|' +
  'DC District of Columbia|FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|KS Kansas|' +
  'KY Kentucky|LA Louisiana|ME Maine|MD Maryland|MA Massachusetts|MI Michigan|MN Minnesota|MS Mississippi|' +
  'MO Missouri|MT Montana|NE Nebraska|NV Nevada|NH New Hampshire|NJ New Jersey|NM New Mexico|NY New York|' +
  'NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma|OR Oregon|PA Pennsylvania|RI Rhode Island|' +
  'SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|UT Utah|VT Vermont|VA Virginia|WA Washington|' +
  'WV West Virginia|WI Wisconsin|WY Wyoming|GU Guam|PR Puerto Rico|VI Virgin Islands|US National'
)
  .split('|')
  .map((entry) => [entry.slice(0, 2), entry.slice(3)] as const);

const STRATIFICATIONS: ReadonlyArray<
  readonly [category: string, categoryId: string, column: string, strata: readonly string[]]
> = [
  ['Total', 'OVR', 'Total', ['Total']],
  ['Age (years)', 'AGEYR', 'Age(years)', ['18 - 24', '25 - 34', '35 - 44', '45 - 54', '55 - 64', '65 or older']],
  [
    'Education',
    'EDU',
    'Education',
    ['Less than high school', 'High school graduate', 'Some college or technical school', 'College graduate'],
  ],
  ['Gender', 'SEX', 'Gender', ['Male', 'Female']],
  [
    'Income',
    'INC',
    'Income',
    [
      'Less than $15,000',
      '$15,000 - $24,999',
      '$25,000 - $34,999',
      '$35,000 - $49,999',
      '$50,000 - $74,999',
      '$75,000 or greater',
      'Data not reported',
    ],
  ],
  [
    'Race/Ethnicity',
    'RACE',
    'Race/Ethnicity',
    [
      'Non-Hispanic White',
      'Non-Hispanic Black',
      'Hispanic',
      'Asian',
      'Hawaiian/Pacific Islander',
      'American Indian/Alaska Native',
      '2 or more races',
      'Other',
    ],
  ],
];

const STRATA = STRATIFICATIONS.flatMap(([category, categoryId, column, strata]) =>
  strata.map((stratum, i) => ({ category, categoryId, column, stratum, stratumId: `${categoryId}${i + 1}` })),
);

const SUPPRESSED_SHARE = 0.02;

// Rows formatted at a time: a sample of any size streams in pieces of about 4 MB, where one
// string could not hold more than about a million rows.
const CHUNK_ROWS = 10_000;

/**
 * A synthetic CSV with the real CDC file's header and shape — the nine questions, 55
 * locations, six stratification categories, years 2011–2022, plausible values and a few
 * suppressed ones. Deterministic for a given seed. Not real data.
 */
export function sampleCsv(options: SampleOptions = {}): string {
  return Array.from(sampleCsvChunks(options)).join('');
}

/**
 * {@link sampleCsv} in pieces of whole lines, the header first, for samples too large for
 * one string: written out one after another they make exactly the same file.
 */
export function sampleCsvChunks({ rows = 18_000, seed = 1 }: SampleOptions = {}): IterableIterator<string> {
  if (!Number.isSafeInteger(rows) || rows < 0)
    throw fail.data('invalid_option', `sample rows must be a whole number >= 0, got ${shown(rows)}`);
  if (!Number.isSafeInteger(seed))
    throw fail.data('invalid_option', `sample seed must be a whole number, got ${shown(seed)}`);
  return formatted(sampleRows(rows, seed));
}

function* formatted(rows: Iterable<string[]>): IterableIterator<string> {
  let chunk: string[][] = [HEADER];
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length === CHUNK_ROWS) {
      yield `${csvFormatRows(chunk)}\n`;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield `${csvFormatRows(chunk)}\n`;
}

function* sampleRows(rows: number, seed: number): IterableIterator<string[]> {
  const next = seededRandom(seed);
  const offset = (n: number) => (next() - 0.5) * n;
  const stateShift = LOCATIONS.map(() => offset(12));
  const stratumShift = STRATA.map(() => offset(10));
  const combinations = QUESTIONS.length * LOCATIONS.length * STRATA.length;
  for (let i = 0; i < rows; i++) {
    // Walk every (question, location, stratum) once before repeating, so small samples cover the grid.
    const combination = i < combinations ? i : Math.floor(next() * combinations);
    const questionIndex = combination % QUESTIONS.length;
    const locationIndex = Math.floor(combination / QUESTIONS.length) % LOCATIONS.length;
    const stratumIndex = Math.floor(combination / (QUESTIONS.length * LOCATIONS.length));
    const [questionId, classId, base, question] = QUESTIONS[questionIndex] as (typeof QUESTIONS)[number];
    const [className, topic, topicId] = CLASSES[classId] as (typeof CLASSES)[string];
    const [abbr, location] = LOCATIONS[locationIndex] as (typeof LOCATIONS)[number];
    const strat = STRATA[stratumIndex] as (typeof STRATA)[number];
    const year = String(2011 + Math.floor(next() * 12));
    const suppressed = next() < SUPPRESSED_SHARE;
    const mean = base + (stateShift[locationIndex] as number) + (stratumShift[stratumIndex] as number) + offset(8);
    const value = Math.min(99, Math.max(1, mean)).toFixed(1);
    const halfWidth = 1 + next() * 6;
    const row = [
      year,
      year,
      abbr,
      location,
      'Behavioral Risk Factor Surveillance System',
      className,
      topic,
      question,
      '',
      'Value',
      suppressed ? '' : value,
      suppressed ? '' : value,
      suppressed ? '~' : '',
      suppressed ? 'Data not available because sample size is insufficient.' : '',
      suppressed ? '' : Math.max(0, Number(value) - halfWidth).toFixed(1),
      suppressed ? '' : Math.min(100, Number(value) + halfWidth).toFixed(1),
      suppressed ? '' : String(50 + Math.floor(next() * 5000)),
      '',
      '',
      '',
      '',
      '',
      '',
      location === 'National' ? '' : `(${(25 + next() * 24).toFixed(6)}, ${(-70 - next() * 55).toFixed(6)})`,
      classId,
      topicId,
      questionId,
      'VALUE',
      String(locationIndex + 1),
      strat.category,
      strat.stratum,
      strat.categoryId,
      strat.stratumId,
    ];
    row[HEADER.indexOf(strat.column)] = strat.stratum;
    yield row;
  }
}
