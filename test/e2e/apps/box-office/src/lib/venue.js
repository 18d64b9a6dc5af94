import config from '../config.js';

// What the pages show about the venue. Worked out the first time someone asks and kept.
let settings;

export function venueSettings() {
  if (!settings) {
    settings = {
      name: config.venue.name,
      currency: config.venue.currency || 'EUR',
      doorsOpenMinutesBefore: config.venue.doorsOpenMinutesBefore ?? 30,
    };
  }
  return settings;
}
