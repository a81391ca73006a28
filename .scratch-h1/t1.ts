import { MongoClient } from 'mongodb';
import { OfflineMongoServer } from '/work/main/src/db/offline/server.ts';
const s = new OfflineMongoServer(); const uri = await s.start();
const c = await MongoClient.connect(uri);
const col = c.db('x').collection('t');
const session = c.startSession();
session.startTransaction();
try { await col.insertOne({a:1},{session}); } catch (e) { console.log(e.constructor.name, e.code, e.codeName, e.message, Object.keys(e)); }
await c.close(); await s.stop();
