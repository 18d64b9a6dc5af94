// Show rows by id: the show page is the busiest page on the site when a run is announced.
export const showCache = new Map();
