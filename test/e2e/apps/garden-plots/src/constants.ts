// Plot sizes the committee lets out, in square metres, and their yearly rent in pence.
export const PLOT_SIZES = Object.freeze({
  half: { area: 125, rent: 4500 },
  full: { area: 250, rent: 8000 },
  raised: { area: 12, rent: 1500 },
} as const);

export type PlotSize = keyof typeof PLOT_SIZES;

export const PHOTO_TYPES: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
};
