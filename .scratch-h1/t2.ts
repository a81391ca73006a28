import { sortBy } from '../src/db/offline/order.js';
const docs = [
  { _id: 1, item: 'pen', price: 2, stock: { n: 10, where: 'shelf' } },
  { _id: 2, item: 'ink', price: 12, stock: { n: 0, where: 'back' } },
  { _id: 3, item: 'pad', price: 5, stock: { n: 4, where: 'shelf' } },
  { _id: 4, item: 'cap' },
];
console.log(sortBy(docs, { 'stock.where': 1, price: -1 }, (d) => d).map((d) => d._id));
