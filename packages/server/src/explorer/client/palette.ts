import { interpolateCividis } from 'd3-scale-chromatic';

// Okabe & Ito's palette, designed to stay distinct under every common colour-vision
// deficiency; blue against vermillion is its safest pair.
const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#000000', '#D55E00', '#F0E442'];

/** Bar colours of the ranking chart. */
export const RANK_COLOURS = { best: '#0072B2', worst: '#D55E00', other: '#A3A3A3' } as const;

/** Fill of a map shape with no data for the question. */
export const NO_DATA_COLOUR = '#E5E5E5';

/**
 * The map's sequential scheme: cividis is perceptually uniform and reads the same with
 * red–green colour blindness.
 */
export const MAP_INTERPOLATOR = interpolateCividis;

/** The colour of the n-th stratification category (cycles after eight). */
export function categoryColour(index: number): string {
  return OKABE_ITO[index % OKABE_ITO.length];
}
