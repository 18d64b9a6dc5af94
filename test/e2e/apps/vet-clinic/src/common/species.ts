// What the front desk books for each kind of patient. Changing a visit length is a release.
export const SPECIES = Object.freeze({
  dog: { label: 'Dog', visitMinutes: 20 },
  cat: { label: 'Cat', visitMinutes: 20 },
  rabbit: { label: 'Rabbit', visitMinutes: 20 },
  parrot: { label: 'Parrot', visitMinutes: 40 },
});

export type Species = keyof typeof SPECIES;
export const SPECIES_NAMES = Object.keys(SPECIES) as Species[];
