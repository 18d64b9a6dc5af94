// The four parts of the choir, in the order the conductor reads them out.
export const VOICE_PARTS = Object.freeze({
  soprano: { label: 'Soprano', clef: 'treble', order: 1 },
  alto: { label: 'Alto', clef: 'treble', order: 2 },
  tenor: { label: 'Tenor', clef: 'treble-8vb', order: 3 },
  bass: { label: 'Bass', clef: 'bass', order: 4 },
});

export type VoicePart = keyof typeof VOICE_PARTS;

export function isVoicePart(value: unknown): value is VoicePart {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(VOICE_PARTS, value);
}
