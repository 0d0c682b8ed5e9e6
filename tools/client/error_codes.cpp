#include "error_codes.hpp"

#include <unordered_map>

namespace brokkr::client {
namespace {

struct Entry {
  ErrorDescription description;
  bool retriable;
};

// Kafka's Errors enum (clients/src/main/java/org/apache/kafka/common/protocol/Errors.java):
// the codes a broker of this kind can return.
const std::unordered_map<std::int16_t, Entry>& table() {
  static const std::unordered_map<std::int16_t, Entry> entries = {
      {-1, {{"UnknownServerException", "The server experienced an unexpected error when processing the request."}, false}},
      {1, {{"OffsetOutOfRangeException", "The requested offset is not within the range of offsets maintained by the server."}, false}},
      {2, {{"CorruptRecordException", "This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt."}, true}},
      {3, {{"UnknownTopicOrPartitionException", "This server does not host this topic-partition."}, true}},
      {4, {{"InvalidFetchSizeException", "The requested fetch size is invalid."}, false}},
      {5, {{"LeaderNotAvailableException", "There is no leader for this topic-partition as we are in the middle of a leadership election."}, true}},
      {6, {{"NotLeaderOrFollowerException", "For requests intended only for the leader, this error indicates that the broker is not the current leader."}, true}},
      {7, {{"TimeoutException", "The request timed out."}, true}},
      {8, {{"BrokerNotAvailableException", "The broker is not available."}, false}},
      {9, {{"ReplicaNotAvailableException", "The replica is not available for the requested topic-partition."}, true}},
      {10, {{"RecordTooLargeException", "The request included a message larger than the max message size the server will accept."}, false}},
      {12, {{"OffsetMetadataTooLarge", "The metadata field of the offset request was too large."}, false}},
      {13, {{"NetworkException", "The server disconnected before a response was received."}, true}},
      {14, {{"CoordinatorLoadInProgressException", "The coordinator is loading and hence can't process requests."}, true}},
      {15, {{"CoordinatorNotAvailableException", "The coordinator is not available."}, true}},
      {16, {{"NotCoordinatorException", "This is not the correct coordinator."}, true}},
      {17, {{"InvalidTopicException", "The request attempted to perform an operation on an invalid topic."}, false}},
      {18, {{"RecordBatchTooLargeException", "The request included message batch larger than the configured segment size on the server."}, false}},
      {19, {{"NotEnoughReplicasException", "Messages are rejected since there are fewer in-sync replicas than required."}, true}},
      {20, {{"NotEnoughReplicasAfterAppendException", "Messages are written to the log, but to fewer in-sync replicas than required."}, true}},
      {21, {{"InvalidRequiredAcksException", "Produce request specified an invalid value for required acks."}, false}},
      {22, {{"IllegalGenerationException", "Specified group generation id is not valid."}, false}},
      {23, {{"InconsistentGroupProtocolException", "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list."}, false}},
      {24, {{"InvalidGroupIdException", "The configured groupId is invalid."}, false}},
      {25, {{"UnknownMemberIdException", "The coordinator is not aware of this member."}, false}},
      {26, {{"InvalidSessionTimeoutException", "The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms)."}, false}},
      {27, {{"RebalanceInProgressException", "The group is rebalancing, so a rejoin is needed."}, false}},
      {28, {{"InvalidCommitOffsetSizeException", "The committing offset data size is not valid."}, false}},
      {29, {{"TopicAuthorizationException", "Topic authorization failed."}, false}},
      {30, {{"GroupAuthorizationException", "Group authorization failed."}, false}},
      {31, {{"ClusterAuthorizationException", "Cluster authorization failed."}, false}},
      {32, {{"InvalidTimestampException", "The timestamp of the message is out of acceptable range."}, false}},
      {33, {{"UnsupportedSaslMechanismException", "The broker does not support the requested SASL mechanism."}, false}},
      {35, {{"UnsupportedVersionException", "The version of API is not supported."}, false}},
      {36, {{"TopicExistsException", "Topic with this name already exists."}, false}},
      {37, {{"InvalidPartitionsException", "Number of partitions is below 1."}, false}},
      {38, {{"InvalidReplicationFactorException", "Replication factor is below 1 or larger than the number of available brokers."}, false}},
      {39, {{"InvalidReplicaAssignmentException", "Replica assignment is invalid."}, false}},
      {40, {{"InvalidConfigurationException", "Configuration is invalid."}, false}},
      {41, {{"NotControllerException", "This is not the correct controller for this cluster."}, true}},
      {42, {{"InvalidRequestException", "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details."}, false}},
      {43, {{"UnsupportedForMessageFormatException", "The message format version on the broker does not support the request."}, false}},
      {44, {{"PolicyViolationException", "Request parameters do not satisfy the configured policy."}, false}},
      {56, {{"KafkaStorageException", "Disk error when trying to access log file on the disk."}, true}},
      {58, {{"SaslAuthenticationException", "SASL Authentication failed."}, false}},
      {68, {{"GroupNotEmptyException", "The group is not empty."}, false}},
      {69, {{"GroupIdNotFoundException", "The group id does not exist."}, false}},
      {70, {{"FetchSessionIdNotFoundException", "The fetch session ID was not found."}, true}},
      {71, {{"InvalidFetchSessionEpochException", "The fetch session epoch is invalid."}, true}},
      {74, {{"FencedLeaderEpochException", "The leader epoch in the request is older than the epoch on the broker."}, true}},
      {75, {{"UnknownLeaderEpochException", "The leader epoch in the request is newer than the epoch on the broker."}, true}},
      {76, {{"UnsupportedCompressionTypeException", "The requesting client does not support the compression type of given partition."}, false}},
      {79, {{"MemberIdRequiredException", "The group member needs to have a valid member id before actually entering a consumer group."}, false}},
      {81, {{"GroupMaxSizeReachedException", "The consumer group has reached its max size."}, false}},
      {82, {{"FencedInstanceIdException", "The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id."}, false}},
      {86, {{"GroupSubscribedToTopicException", "Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it."}, false}},
      {87, {{"InvalidRecordException", "This record has failed the validation on broker and hence will be rejected."}, false}},
      {88, {{"UnstableOffsetCommitException", "There are unstable offsets that need to be cleared."}, true}},
      {100, {{"UnknownTopicIdException", "This server does not host this topic ID."}, true}},
      {110, {{"FencedMemberEpochException", "The member epoch is fenced by the group coordinator. The member must abandon all its partitions and rejoin."}, false}},
      {111, {{"UnreleasedInstanceIdException", "The instance ID is still used by another member in the consumer group. That member must leave first."}, false}},
      {112, {{"UnsupportedAssignorException", "The assignor or its version range is not supported by the consumer group."}, false}},
      {113, {{"StaleMemberEpochException", "The member epoch is stale. The member must retry after receiving its updated member epoch via the ConsumerGroupHeartbeat API."}, false}},
  };
  return entries;
}

}  // namespace

ErrorDescription describe_error(std::int16_t code) {
  if (code == 0) return {"", "No error."};
  auto it = table().find(code);
  if (it == table().end()) return {"KafkaException", "Unknown error code."};
  return it->second.description;
}

bool is_retriable(std::int16_t code) {
  auto it = table().find(code);
  return it != table().end() && it->second.retriable;
}

}  // namespace brokkr::client
