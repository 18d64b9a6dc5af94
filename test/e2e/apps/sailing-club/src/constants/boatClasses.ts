// The dinghy classes the club sails, with their crew and Portsmouth Yardstick numbers.
export const BOAT_CLASSES = Object.freeze({
  laser: { label: 'Laser', crew: 1, yardstick: 1100 },
  topper: { label: 'Topper', crew: 1, yardstick: 1365 },
  wayfarer: { label: 'Wayfarer', crew: 2, yardstick: 1102 },
  rs200: { label: 'RS200', crew: 2, yardstick: 1046 },
} as const);

export type BoatClass = keyof typeof BOAT_CLASSES;

export function isBoatClass(value: unknown): value is BoatClass {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(BOAT_CLASSES, value);
}
