#include "server/revocation_feed.h"

#include <array>
#include <charconv>
#include <iostream>

#include "store/redis_connection.h"

namespace writ::server {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kMaxIdChars = 128;
// How long one Receive waits before looking at Stop() and the pending notices again.
constexpr milliseconds kReceiveSlice{100};

// KEYS[1] the sorted set (member "t:ID"/"s:ID", score UNTIL), ARGV member, until, now,
// channel. Keeps the later until, drops passed entries, lets the set expire with its last
// entry, then publishes: stored before announced, so a subscriber that reloads after
// subscribing misses nothing.
constexpr std::string_view kPublishScript = R"lua(
local until_ = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if until_ < now then return 0 end
local current = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]))
if current == nil or current < until_ then
  redis.call('ZADD', KEYS[1], until_, ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
local want = until_ - now + 1
if redis.call('TTL', KEYS[1]) < want then
  redis.call('EXPIRE', KEYS[1], want)
end
redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' ' .. ARGV[2])
return 1
)lua";

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::string Member(const RevocationNotice& notice) {
  return (notice.kind == RevocationNotice::Kind::kToken ? "t:" : "s:") + notice.id;
}

// "t:ID" / "s:ID" and UNTIL as text: the notice, or nullopt.
std::optional<RevocationNotice> ParseParts(std::string_view member, std::string_view until) {
  RevocationNotice notice;
  if (member.starts_with("t:")) {
    notice.kind = RevocationNotice::Kind::kToken;
  } else if (member.starts_with("s:")) {
    notice.kind = RevocationNotice::Kind::kSession;
  } else {
    return std::nullopt;
  }
  std::string_view id = member.substr(2);
  if (id.empty() || id.size() > kMaxIdChars) {
    return std::nullopt;
  }
  for (char c : id) {
    if (!IsIdChar(c)) {
      return std::nullopt;
    }
  }
  std::int64_t seconds = 0;
  auto [end, error] = std::from_chars(until.data(), until.data() + until.size(), seconds);
  if (until.empty() || until.size() > 18 || error != std::errc() || end != until.data() + until.size() ||
      seconds <= 0) {
    return std::nullopt;
  }
  notice.id = std::string(id);
  notice.until = Seconds{std::chrono::seconds{seconds}};
  return notice;
}

std::string UnixText(Seconds time) { return std::to_string(time.time_since_epoch().count()); }

}  // namespace

std::string FormatRevocationNotice(const RevocationNotice& notice) {
  return Member(notice) + " " + UnixText(notice.until);
}

std::optional<RevocationNotice> ParseRevocationNotice(std::string_view text) {
  const std::size_t space = text.find(' ');
  if (space == std::string_view::npos) {
    return std::nullopt;
  }
  return ParseParts(text.substr(0, space), text.substr(space + 1));
}

RevocationFeed::RevocationFeed(std::shared_ptr<store::RedisClient> redis,
                               std::shared_ptr<RevocationList> list,
                               std::shared_ptr<const Clock> clock, RevocationFeedOptions options)
    : redis_(std::move(redis)),
      list_(std::move(list)),
      clock_(std::move(clock)),
      options_(std::move(options)),
      key_(options_.prefix + "revocations") {}

RevocationFeed::~RevocationFeed() { Stop(); }

void RevocationFeed::Start() {
  const std::lock_guard lock(mutex_);
  if (!thread_.joinable()) {
    stopping_ = false;
    thread_ = std::thread([this] { Run(); });
  }
}

void RevocationFeed::Stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

Status RevocationFeed::Store(const RevocationNotice& notice) {
  const std::string member = Member(notice);
  const std::string until = UnixText(notice.until);
  const std::string now = UnixText(clock_->Now());
  auto stored = redis_->Command({"EVAL", kPublishScript, "1", key_, member, until, now, key_});
  if (!stored) {
    return tl::unexpected(stored.error());
  }
  return {};
}

Status RevocationFeed::Publish(const RevocationNotice& notice) {
  auto stored = Store(notice);
  if (!stored) {
    std::cerr << "writ: revocation of " << (notice.kind == RevocationNotice::Kind::kToken ? "a token" : "a session")
              << " not broadcast, kept to send again: " << stored.error().detail << std::endl;
    const std::lock_guard lock(mutex_);
    if (pending_.size() >= options_.max_pending) {
      // The store holds every revocation and each instance polls it every second: the
      // oldest notice still arrives, only later.
      std::cerr << "writ: too many revocations waiting for Redis; the oldest is left to the "
                   "store poll"
                << std::endl;
      pending_.pop_front();
    }
    pending_.push_back(notice);
  }
  return stored;
}

void RevocationFeed::FlushPending() {
  std::unique_lock lock(mutex_);
  while (!pending_.empty()) {
    RevocationNotice notice = pending_.front();
    lock.unlock();
    const bool sent = Store(notice).has_value();
    lock.lock();
    if (!sent) {
      return;
    }
    // Publish may have dropped this very notice meanwhile (queue full): pop only what was
    // sent, never a notice behind it that was not.
    if (!pending_.empty() && pending_.front() == notice) {
      pending_.pop_front();
    }
  }
}

void RevocationFeed::Apply(const RevocationNotice& notice) {
  if (notice.kind == RevocationNotice::Kind::kToken) {
    list_->DenyToken(notice.id, notice.until);
  } else {
    list_->RevokeSession(notice.id, notice.until);
  }
}

Status RevocationFeed::Reload() {
  const std::string now = UnixText(clock_->Now());
  auto stored = redis_->Command({"ZRANGEBYSCORE", key_, now, "+inf", "WITHSCORES"});
  if (!stored) {
    return tl::unexpected(stored.error());
  }
  const auto& elements = stored->elements;
  for (std::size_t i = 0; i + 1 < elements.size(); i += 2) {
    if (auto notice = ParseParts(elements[i].text, elements[i + 1].text)) {
      Apply(*notice);
    }
  }
  return {};
}

bool RevocationFeed::WaitOrStop(milliseconds delay) {
  std::unique_lock lock(mutex_);
  return wake_.wait_for(lock, delay, [this] { return stopping_; });
}

bool RevocationFeed::Subscribe() {
  auto opened = store::RedisConnection::Open(redis_->options());
  if (!opened) {
    return false;
  }
  store::RedisConnection& connection = **opened;
  const std::array<std::string_view, 2> subscribe = {"SUBSCRIBE", key_};
  if (!connection.Send(subscribe)) {
    return false;
  }
  auto confirmed = connection.Receive(redis_->options().command_timeout);
  if (!confirmed || !*confirmed || (*confirmed)->elements.empty() ||
      (*confirmed)->elements[0].text != "subscribe") {
    return false;
  }
  // Subscribed first, reloaded second: a notice published in between arrives as a message.
  if (!Reload()) {
    return false;
  }
  subscribed_ = true;
  ++subscriptions_;
  auto last_heard = std::chrono::steady_clock::now();
  bool ping_sent = false;
  while (!WaitOrStop(milliseconds{0})) {
    FlushPending();
    auto received = connection.Receive(kReceiveSlice);
    if (!received) {
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (*received) {
      last_heard = now;
      ping_sent = false;
      const store::RedisReply& push = **received;
      if (push.elements.size() == 3 && push.elements[0].text == "message") {
        if (auto notice = ParseRevocationNotice(push.elements[2].text)) {
          Apply(*notice);
        }
      }
      continue;
    }
    // A silent peer (a partition, not a closed socket): PING, and give up when even that
    // goes unanswered.
    if (now - last_heard > options_.keepalive) {
      if (ping_sent) {
        break;
      }
      const std::array<std::string_view, 1> ping = {"PING"};
      if (!connection.Send(ping)) {
        break;
      }
      ping_sent = true;
      last_heard = now - options_.keepalive + redis_->options().command_timeout;
    }
  }
  subscribed_ = false;
  return true;
}

void RevocationFeed::Run() {
  milliseconds backoff = options_.min_backoff;
  bool reported = false;
  while (!WaitOrStop(milliseconds{0})) {
    if (Subscribe()) {
      backoff = options_.min_backoff;
      if (reported) {
        std::cerr << "writ: revocation feed: subscribed again" << std::endl;
        reported = false;
      }
      continue;  // a subscription that ran and broke: reconnect at once
    }
    if (!reported) {
      std::cerr << "writ: revocation feed: cannot subscribe to Redis; retrying (revocations "
                   "from other instances arrive through the store until then)"
                << std::endl;
      reported = true;
    }
    if (WaitOrStop(backoff)) {
      break;
    }
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

}  // namespace writ::server
