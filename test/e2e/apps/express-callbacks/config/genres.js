// Genres shown in the book form. Keys are stored in the db.
module.exports = {
  fiction: { label: 'Fiction', shelf: 'A' },
  scifi: { label: 'Science fiction', shelf: 'B' },
  fantasy: { label: 'Fantasy', shelf: 'B' },
  crime: { label: 'Crime', shelf: 'C' },
  history: { label: 'History', shelf: 'D' },
  poetry: { label: 'Poetry', shelf: 'E' }
};
