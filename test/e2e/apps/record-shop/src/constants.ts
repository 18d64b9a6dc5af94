// Formats the shop sells and what each costs to post, in pence.
export const FORMATS = Object.freeze({
  LP: { label: '12" LP', postage: 450 },
  EP: { label: '7" EP', postage: 250 },
  single: { label: '7" single', postage: 250 },
  cassette: { label: 'Cassette', postage: 200 },
} as const);

export type Format = keyof typeof FORMATS;

export const isFormat = (value: unknown): value is Format => typeof value === 'string' && Object.prototype.hasOwnProperty.call(FORMATS, value);

export const COVER_TYPES: Record<string, string> = { 'image/jpeg': '.jpg', 'image/png': '.png' };
