// Registers kafkajs's optional codecs: snappy and lz4 through their usual
// packages (kafkajs-snappy, kafkajs-lz4). The usual zstd package
// (@kafkajs/zstd) does not compile against current Node, so zstd is a small
// adapter on zstd-napi, in the shape kafkajs expects of a codec.
'use strict'

const { CompressionTypes, CompressionCodecs } = require('kafkajs')
const SnappyCodec = require('kafkajs-snappy')
const LZ4Codec = require('kafkajs-lz4')
const zstd = require('zstd-napi')

const ZstdCodec = () => ({
  async compress(encoder) {
    return zstd.compress(encoder.buffer)
  },
  async decompress(buffer) {
    return zstd.decompress(buffer)
  },
})

CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec
CompressionCodecs[CompressionTypes.LZ4] = new LZ4Codec().codec
CompressionCodecs[CompressionTypes.ZSTD] = ZstdCodec

// Kafka's codec names to kafkajs's ids.
module.exports.compressionType = name => {
  const types = {
    none: CompressionTypes.None,
    gzip: CompressionTypes.GZIP,
    snappy: CompressionTypes.Snappy,
    lz4: CompressionTypes.LZ4,
    zstd: CompressionTypes.ZSTD,
  }
  if (!(name in types)) throw new Error(`unknown codec ${name}`)
  return types[name]
}
