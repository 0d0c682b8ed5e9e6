// Authorization: decides each operation on each resource, and keeps the ACL
// bindings that CreateAcls/DescribeAcls/DeleteAcls manage. Enum values are
// Kafka's wire codes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "brokkr/sdk/plugin.hpp"

namespace brokkr::sdk {

enum class ResourceType : std::int8_t {
  any = 1, topic = 2, group = 3, cluster = 4, transactional_id = 5, delegation_token = 6, user = 7
};
enum class PatternType : std::int8_t { any = 1, match = 2, literal = 3, prefixed = 4 };
enum class AclOperation : std::int8_t {
  any = 1, all = 2, read = 3, write = 4, create = 5, remove = 6, alter = 7, describe = 8,
  cluster_action = 9, describe_configs = 10, alter_configs = 11, idempotent_write = 12,
  create_tokens = 13, describe_tokens = 14
};
enum class AclPermission : std::int8_t { any = 1, deny = 2, allow = 3 };

struct AclBinding {
  ResourceType resource_type = ResourceType::topic;
  std::string resource_name;
  PatternType pattern_type = PatternType::literal;
  std::string principal;  // "User:alice"
  std::string host;       // "*" for any
  AclOperation operation = AclOperation::all;
  AclPermission permission = AclPermission::allow;
  bool operator==(const AclBinding&) const = default;
};

// Fields left empty/`any` match everything (DescribeAcls/DeleteAcls filters).
struct AclFilter {
  ResourceType resource_type = ResourceType::any;
  std::optional<std::string> resource_name;
  PatternType pattern_type = PatternType::any;
  std::optional<std::string> principal;
  std::optional<std::string> host;
  AclOperation operation = AclOperation::any;
  AclPermission permission = AclPermission::any;
};

struct AuthorizationRequest {
  std::string principal;
  std::string host;
  AclOperation operation = AclOperation::describe;
  ResourceType resource_type = ResourceType::topic;
  std::string resource_name;
};

enum class AuthorizationDecision { allow, deny };

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  virtual AuthorizationDecision authorize(const AuthorizationRequest& request) = 0;
  virtual void create_acls(const std::vector<AclBinding>& bindings) = 0;
  virtual std::vector<AclBinding> describe_acls(const AclFilter& filter) = 0;
  virtual std::vector<AclBinding> delete_acls(const AclFilter& filter) = 0;  // returns removed
};

}  // namespace brokkr::sdk
