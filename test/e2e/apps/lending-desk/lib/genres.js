// shelf codes printed on the spine labels
const GENRES = {
  FIC: 'Fiction',
  SCI: 'Science',
  CMP: 'Computing',
  HIS: 'History',
  BIO: 'Biography'
};

function genreName(code) {
  return GENRES[code] || 'Other';
}

module.exports = { GENRES, genreName };
