// What the café takes in, and how long a repair of each usually takes (minutes).
export const CATEGORIES = Object.freeze({
  electrical: { label: 'Small electricals', minutes: 45 },
  textiles: { label: 'Clothes and textiles', minutes: 30 },
  bikes: { label: 'Bicycles', minutes: 40 },
  furniture: { label: 'Wooden furniture', minutes: 60 },
  toys: { label: 'Toys', minutes: 20 },
} as const);

export type Category = keyof typeof CATEGORIES;

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && Object.hasOwn(CATEGORIES, value);
}
