// Categories the desk files things under, with how long each is kept before it goes to charity.
var CATEGORIES = {
  UMB: { name: 'Umbrellas', keepDays: 30 },
  BAG: { name: 'Bags and luggage', keepDays: 90 },
  PHN: { name: 'Phones and electronics', keepDays: 90 },
  KEY: { name: 'Keys', keepDays: 60 },
  CLO: { name: 'Clothing', keepDays: 30 },
  DOC: { name: 'Documents and cards', keepDays: 14 },
};

module.exports = CATEGORIES;
