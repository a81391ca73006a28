import { MongoClient } from 'mongodb';
import { OfflineMongoServer } from '../src/db/offline/server.js';
const s = new OfflineMongoServer(); const uri = await s.start();
const c = await MongoClient.connect(uri);
const col = c.db('x').collection('shop');
await col.insertMany([
  { _id: 1, item: 'pen', price: 2, stock: { n: 10, where: 'shelf' } },
] as never[]);
console.log(await col.findOne({ _id: 1 } as never, { projection: { 'stock.n': 1 } }));
console.log(await col.findOne({ _id: 1 } as never));
console.log(await col.findOne({ _id: 1 } as never, { projection: { 'stock.where': 0 } }));
console.log(await col.findOne({ _id: 1 } as never));
await c.close(); await s.stop();
