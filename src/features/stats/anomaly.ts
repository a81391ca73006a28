// A pulled count that falls to zero or moves a hundredfold since the last one is more often a
// platform glitch, a wrong id or a unit misread than real growth. It is kept, but flagged for an
// officer instead of being trusted silently (the registry stores the flag with the snapshot).

export type FigureAnomaly = 'dropped_to_zero' | 'jumped' | 'collapsed';

/** The anomaly between the previous and the new follower count, if any (factor: 100 by default). */
export function figureAnomaly(
  previous: number | undefined,
  next: number,
  factor = 100,
): FigureAnomaly | undefined {
  if (previous === undefined || previous <= 0) return undefined;
  if (next === 0) return 'dropped_to_zero';
  if (next >= previous * factor) return 'jumped';
  if (next * factor <= previous) return 'collapsed';
  return undefined;
}
