/** A mean as the page prints it: two decimals and a percent sign (the API's figures are percentages). */
export function formatPercent(value: number): string {
  return `${value.toFixed(2)}%`;
}

/** How far a mean lies from a reference, in words: "1.20 points above the global mean". */
export function describeDifference(value: number, reference: number, referenceName: string): string {
  const points = Math.abs(value - reference).toFixed(2);
  if (Number(points) === 0) return `equal to ${referenceName}`;
  return `${points} points ${value > reference ? 'above' : 'below'} ${referenceName}`;
}
