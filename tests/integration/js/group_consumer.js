// kafkajs consumer groups against a Brokkr broker, driven by
// tests/integration/test_groups_kafkajs.py.
//
//   node group_consumer.js <request.json> <result.json>
//
// Starts `consumers` kafkajs consumers in group `groupId` on `topic`, waits
// until they have shared its partitions out (GROUP_JOIN events), then
// produces `produce` (values, round robin over partitions) with a kafkajs
// producer and consumes until `expect` records arrived (kafkajs commits
// after each batch). While the group is up, the admin client describes it
// and lists groups; after the consumers disconnect (committing and leaving)
// it fetches the group's committed offsets. Everything seen is written to
// <result.json>; logs go to stderr.
'use strict'

const fs = require('fs')
const { Kafka, logLevel } = require('kafkajs')

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

function stderrLogger() {
  return ({ namespace, label, log }) => {
    const { message, ...extra } = log
    process.stderr.write(`[kafkajs ${label} ${namespace}] ${message} ${JSON.stringify(extra)}\n`)
  }
}

async function waitFor(what, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

async function main() {
  const request = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
  const kafka = new Kafka({
    clientId: 'brokkr-it-kafkajs-group',
    brokers: [request.broker],
    connectionTimeout: 5000,
    requestTimeout: 30000,
    retry: { retries: 5, initialRetryTime: 200 },
    logLevel: logLevel.WARN,
    logCreator: stderrLogger,
  })
  const result = { joins: [], seen: [], describe: null, groups: null, offsets: null }
  const latest = new Map()  // consumer index -> its last assignment (partitions of the topic)
  const consumers = []
  for (let i = 0; i < request.consumers; i++) {
    const consumer = kafka.consumer({
      groupId: request.groupId,
      sessionTimeout: 10000,
      rebalanceTimeout: 10000,
      heartbeatInterval: 300,
    })
    consumer.on(consumer.events.GROUP_JOIN, event => {
      const assigned = (event.payload.memberAssignment || {})[request.topic] || []
      latest.set(i, assigned)
      result.joins.push({ consumer: i, memberId: event.payload.memberId, isLeader: event.payload.isLeader,
                          protocol: event.payload.groupProtocol, partitions: assigned })
    })
    await consumer.connect()
    await consumer.subscribe({ topics: [request.topic], fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        result.seen.push({ consumer: i, partition, offset: message.offset, value: message.value.toString() })
      },
    })
    consumers.push(consumer)
  }
  // Every consumer has a share and the shares cover the topic.
  await waitFor('the partitions to be shared out', () => {
    if (latest.size < request.consumers) return false
    const all = [].concat(...latest.values())
    return [...latest.values()].every(p => p.length > 0) &&
      new Set(all).size === all.length && all.length === request.partitions
  }, 30000)

  if (request.produce.length) {
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({
      topic: request.topic,
      acks: -1,
      messages: request.produce.map((value, n) => ({ value, partition: n % request.partitions })),
    })
    await producer.disconnect()
  }
  await waitFor(`${request.expect} records`, () => result.seen.length >= request.expect, 30000)
  await sleep(500)  // anything beyond the expected would show up now

  const admin = kafka.admin()
  await admin.connect()
  result.describe = await admin.describeGroups([request.groupId])
  result.groups = await admin.listGroups()
  for (const consumer of consumers) await consumer.disconnect()
  result.offsets = await admin.fetchOffsets({ groupId: request.groupId, topics: [request.topic] })
  await admin.disconnect()
  fs.writeFileSync(process.argv[3], JSON.stringify(result))
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`group_consumer.js failed: ${error.stack || error}\n`)
    process.exit(1)
  })
