// A notebook-style tour: load the data, look around, ask a few questions.
// Run: npx tsx examples/notebook.ts            (built-in synthetic sample)
//      npx tsx examples/notebook.ts brfss.csv  (the real CDC file)
import { DataIngestor } from '@lestats/core';

const file = process.argv[2];
const data = file === undefined ? DataIngestor.sample() : await DataIngestor.fromFile(file);

console.log(`Source: ${data.source} — ${data.report.kept} of ${data.report.rows} rows kept`);
console.table(
  data.questions().map(({ question, best, states }) => ({ question: question.slice(0, 70), best, states })),
);

const obesity = 'Percent of adults aged 18 years and older who have obesity';
const { global_mean } = data.globalMean(obesity);
console.log(`\n${obesity}\nNational picture: ${global_mean.toFixed(1)}% on average`);

// Copy before reshaping: answers are shared and frozen.
const rows = Object.entries(data.best5(obesity)).map(([state, mean], rank) => ({
  rank: rank + 1,
  state,
  mean: Number(mean.toFixed(1)),
  'vs. average': Number((mean - global_mean).toFixed(1)),
}));
console.log('\nBest five states (lowest obesity):');
console.table(rows);

console.log('Ohio by age group:');
const ohio = data.stateMeanByCategory(obesity, 'Ohio').Ohio ?? {};
console.table(
  Object.entries(ohio)
    .filter(([key]) => key.startsWith("('Age (years)'"))
    .map(([key, mean]) => ({ group: key, mean: Number(mean.toFixed(1)) })),
);
