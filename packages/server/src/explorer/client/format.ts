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

// Average width of an 11 px label character.
const CHAR_WIDTH = 6.2;

/**
 * A bar's label cut to fit a column `width` pixels wide (less 10 for the gap to the bar),
 * ending in an ellipsis when cut; the tooltip still shows it whole.
 */
export function fitLabel(label: string, width: number): string {
  const fits = Math.floor((width - 10) / CHAR_WIDTH);
  return label.length <= fits ? label : `${label.slice(0, fits - 1)}…`;
}
