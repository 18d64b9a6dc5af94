export const FRAME_TYPES = Object.freeze({
  LANGSTROTH: { label: 'Langstroth', framesPerBox: 10 },
  NATIONAL: { label: 'British National', framesPerBox: 11 },
  WARRE: { label: 'Warré', framesPerBox: 8 },
  TOP_BAR: { label: 'Top bar', framesPerBox: 24 },
});

export type FrameType = keyof typeof FRAME_TYPES;

export const PHOTO_TYPES: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
};

export const MAX_FAILED_LOGINS = 3;
export const MAIL_TIMEOUT_MS = 5000;

export const INSPECTION_LOGGED = 'INSPECTION_LOGGED';
