// EU allergen codes printed on the labels; the kitchen uses the short codes.
export const ALLERGENS = Object.freeze({
  GLU: 'Gluten',
  EGG: 'Eggs',
  MLK: 'Milk',
  NUT: 'Tree nuts',
  SES: 'Sesame',
  SOY: 'Soya',
});

export function labels(codes) {
  return (codes || []).map((code) => ALLERGENS[code] || code);
}
