import { MongoClient } from 'mongodb';
import { OfflineMongoServer } from './src/db/offline/server.js';
const server = new OfflineMongoServer();
const uri = await server.start();
const client = await MongoClient.connect(uri);
const c = client.db('p').collection('c');
await c.createIndex({ slug: 1 }, { unique: true });
const docs = Array.from({ length: 10000 }, (_, i) => ({ slug: 's' + i, n: i, cats: ['a', 'b'], createdAt: new Date() }));
await c.insertMany(docs);
const ids = (await c.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
for (const [label, f] of [['slug', (i: number) => c.findOne({ slug: 's' + (i % 10000) })], ['id', (i: number) => c.findOne({ _id: ids[i % 10000] })], ['slug', (i: number) => c.findOne({ slug: 's' + (i % 10000) })], ['id', (i: number) => c.findOne({ _id: ids[i % 10000] })]] as const) {
  const t = performance.now(); let n = 0;
  while (performance.now() - t < 1500) { await f(n * 7919); n++; }
  console.log(label, Math.round(n / 1.5));
}
await client.close(); await server.stop();
