// kafkajs against a Brokkr broker, driven by tests/integration/test_data_kafkajs.py.
//
//   node roundtrip.js produce <request.json> <result.json>
//   node roundtrip.js fetch   <request.json> <result.json>
//
// produce: creates the topic with kafkajs's admin (CreateTopics), sends the
//   request's messages with kafkajs's producer (acks=-1, explicit partitions,
//   keys, headers and timestamps), asks the admin for the offsets
//   (ListOffsets: latest/earliest and by timestamp) and writes what kafkajs
//   was told.
// The request may name a codec (`compression`: gzip, snappy, lz4, zstd).
// fetch: reads partitions from offset 0 up to given end offsets. kafkajs's
//   consumer needs consumer groups, which the broker does not have yet, so
//   this uses the broker connection kafkajs's own cluster layer manages and
//   its Fetch request (kafkajs encodes the request and decodes the record
//   batches); the client's private cluster factory is found by its symbol.
//
// Binary data crosses to Python as base64. Logs go to stderr; the result is
// written to a file so nothing else can mix into it.
'use strict'

const fs = require('fs')
const { Kafka, logLevel } = require('kafkajs')
const { compressionType } = require('./codecs')

const b64 = v => (v === null || v === undefined ? null : Buffer.from(v).toString('base64'))
const unb64 = v => (v === null || v === undefined ? null : Buffer.from(v, 'base64'))

function stderrLogger() {
  return ({ namespace, level, label, log }) => {
    const { message, ...extra } = log
    process.stderr.write(`[kafkajs ${label} ${namespace}] ${message} ${JSON.stringify(extra)}\n`)
  }
}

function client(request) {
  return new Kafka({
    clientId: 'brokkr-it-kafkajs',
    brokers: [request.broker],
    connectionTimeout: 5000,
    requestTimeout: 30000,
    retry: { retries: 3, initialRetryTime: 200 },
    logLevel: logLevel.WARN,
    logCreator: stderrLogger,
  })
}

async function produce(request) {
  const kafka = client(request)
  const result = { created: null, sends: [], offsets: null, offsetsByTimestamp: [] }

  const admin = kafka.admin()
  await admin.connect()
  result.created = await admin.createTopics({
    waitForLeaders: true,
    timeout: 30000,
    topics: [{ topic: request.topic, numPartitions: request.partitions, replicationFactor: 1 }],
  })

  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false })
  await producer.connect()
  // One send() per group of messages: kafkajs puts each partition's share in
  // one batch; the metadata it gets back holds each batch's base offset.
  for (const group of request.groups) {
    const messages = group.map(m => ({
      partition: m.partition,
      key: unb64(m.key),
      value: unb64(m.value),
      timestamp: String(m.timestamp),
      headers: Object.fromEntries(m.headers.map(([k, v]) => [k, unb64(v)])),
    }))
    const metadata = await producer.send({
      topic: request.topic,
      acks: -1,
      timeout: 30000,
      compression: compressionType(request.compression || 'none'),
      messages,
    })
    result.sends.push(
      metadata.map(md => ({
        partition: md.partition,
        errorCode: md.errorCode,
        baseOffset: Number(md.baseOffset),
        logStartOffset: md.logStartOffset === undefined ? null : Number(md.logStartOffset),
      }))
    )
  }
  await producer.disconnect()

  result.offsets = (await admin.fetchTopicOffsets(request.topic)).map(o => ({
    partition: o.partition,
    low: Number(o.low),
    high: Number(o.high),
    offset: Number(o.offset),
  }))
  for (const ts of request.timestamps) {
    const found = await admin.fetchTopicOffsetsByTimestamp(request.topic, ts)
    result.offsetsByTimestamp.push({
      timestamp: ts,
      offsets: found.map(o => ({ partition: o.partition, offset: Number(o.offset) })),
    })
  }
  await admin.disconnect()
  return result
}

function privateClusterFactory(kafka) {
  const symbol = Object.getOwnPropertySymbols(kafka).find(s => String(s) === 'Symbol(private:Kafka:createCluster)')
  if (!symbol) throw new Error('kafkajs internals changed: no private:Kafka:createCluster symbol')
  return kafka[symbol]
}

async function fetch(request) {
  const kafka = client(request)
  const cluster = privateClusterFactory(kafka)({ allowAutoTopicCreation: false })
  await cluster.connect()
  await cluster.addTargetTopic(request.topic)
  const result = { partitions: {}, highWatermarks: {}, fetches: 0 }
  const deadline = Date.now() + 30000
  try {
    for (const [p, end] of Object.entries(request.ends)) {
      const partition = Number(p)
      const leaders = cluster.findLeaderForPartitions(request.topic, [partition])
      const nodeId = Number(Object.keys(leaders)[0])
      const broker = await cluster.findBroker({ nodeId })
      const messages = []
      let offset = 0
      while (offset < end) {
        if (Date.now() > deadline) throw new Error(`partition ${partition}: stuck at offset ${offset} of ${end}`)
        const response = await broker.fetch({
          replicaId: -1,
          isolationLevel: 1,
          maxWaitTime: 100,
          minBytes: 1,
          maxBytes: 1024 * 1024,
          topics: [{ topic: request.topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes: 256 * 1024 }] }],
        })
        result.fetches++
        const data = response.responses[0].partitions[0]
        result.highWatermarks[partition] = Number(data.highWatermark)
        for (const m of data.messages) {
          const o = Number(m.offset)
          if (o < offset) continue // a batch starting before the fetch offset
          messages.push({
            offset: o,
            key: b64(m.key),
            value: b64(m.value),
            timestamp: Number(m.timestamp),
            headers: Object.entries(m.headers || {}).map(([k, v]) => [k, b64(v)]),
          })
          offset = o + 1
        }
      }
      result.partitions[partition] = messages
    }
  } finally {
    await cluster.disconnect()
  }
  return result
}

async function main() {
  const [command, requestFile, resultFile] = process.argv.slice(2)
  const request = JSON.parse(fs.readFileSync(requestFile, 'utf8'))
  const commands = { produce, fetch }
  if (!commands[command]) throw new Error(`unknown command ${command}`)
  const result = await commands[command](request)
  fs.writeFileSync(resultFile, JSON.stringify(result))
}

main().catch(e => {
  process.stderr.write(`roundtrip.js failed: ${e && e.stack ? e.stack : e}\n`)
  if (e && e.name) process.stderr.write(`  error name ${e.name}, type ${e.type}, code ${e.code}\n`)
  process.exit(1)
})
