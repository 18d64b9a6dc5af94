// What the workshop does, what it costs and how long it takes. Changes with the price list, twice a year.
export const SERVICES = Object.freeze({
  'safety-check': { label: 'Safety check', priceCents: 2500, benchMinutes: 30 },
  'puncture': { label: 'Puncture repair', priceCents: 1500, benchMinutes: 20 },
  'brake-bleed': { label: 'Hydraulic brake bleed', priceCents: 4500, benchMinutes: 60 },
  'full-service': { label: 'Full service', priceCents: 11000, benchMinutes: 180 },
} as const);

export type ServiceCode = keyof typeof SERVICES;

export const REPAIR_STATUSES = ['booked', 'in-progress', 'waiting-parts', 'ready', 'collected'] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];

export const PHOTO_TYPES: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
};
