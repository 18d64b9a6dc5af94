// CLI: regenerates data/products.json, the catalogue inserted at start-up into an empty database.
// Run with `npm run seed`; never imported by the server.
import fs from 'node:fs';

const CATALOGUE: [name: string, category: string, priceCents: number, stock: number][] = [
  ['Espresso beans 1kg', 'coffee', 2490, 40],
  ['Filter beans 500g', 'coffee', 1290, 60],
  ['Decaf beans 500g', 'coffee', 1390, 25],
  ['Hand grinder', 'gear', 8900, 12],
  ['Pour-over kettle', 'gear', 5400, 8],
  ['Paper filters x100', 'gear', 690, 200],
  ['Tasting course (online)', 'courses', 4900, 999],
  ['Latte art workshop', 'courses', 7900, 10],
];

// quiet: module counter in a CLI script, not a server process
let written = 0;

const products = CATALOGUE.map(([name, category, priceCents, stock]) => {
  written++;
  return { name, category, priceCents, stock };
});

fs.mkdirSync('data', { recursive: true });
// quiet: file write in a CLI script
fs.writeFileSync('data/products.json', JSON.stringify(products, null, 2) + '\n');
console.log(`wrote ${written} products to data/products.json`);
