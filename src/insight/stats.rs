//! Timing of a stream as the user experiences it: time to first byte and
//! first event, the gap between events, events per second over the last
//! minutes (for a sparkline) and the last seconds (the status bar's rate), a
//! log-scale histogram of gaps, and stalls; with the events and bytes
//! received. The one count of them: the status bar and the Stats view both
//! read it.
//!
//! Fed arrival instants only, so every figure is testable with made-up
//! instants. O(1) per event and bounded memory: a fixed histogram and a ring
//! of per-second counts at most [`WINDOW_SECONDS`] long.

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime};

use crate::sse::{ConnMsg, StreamItem};

/// How many one-second buckets are kept for [`Stats::per_second`].
pub const WINDOW_SECONDS: usize = 600;

/// The span [`Stats::rate`] averages over.
const RATE_SECONDS: u64 = 3;

/// Upper bounds of the gap histogram's buckets; the last bucket is open-ended.
const GAP_BOUNDS: [Duration; 5] = [
    Duration::from_millis(1),
    Duration::from_millis(10),
    Duration::from_millis(100),
    Duration::from_secs(1),
    Duration::from_secs(10),
];
const GAP_LABELS: [&str; 6] = ["<1ms", "<10ms", "<100ms", "<1s", "<10s", ">=10s"];

/// The longest consumer delay [`arrival`] corrects: beyond it the wall clock
/// more likely jumped than the consumer lagged.
const MAX_CONSUMER_LAG: Duration = Duration::from_secs(10);

/// When `msg` arrived, as an [`Instant`]: for a read, the time the engine
/// stamped it (`Chunk::received_at`) rather than when a busy consumer got to
/// it, so gaps and bursts are not an artefact of the consumer's batching.
/// `now` and `wall_now` are the same moment on the two clocks.
pub fn arrival(msg: &ConnMsg, now: Instant, wall_now: SystemTime) -> Instant {
    let ConnMsg::Data(chunk) = msg else {
        return now;
    };
    wall_now
        .duration_since(chunk.received_at)
        .ok()
        .filter(|lag| *lag <= MAX_CONSUMER_LAG)
        .and_then(|lag| now.checked_sub(lag))
        .unwrap_or(now)
}

/// Timing figures of one session (one connection task, all its attempts).
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// The first instant this value was given: second 0 of the per-second buckets.
    origin: Option<Instant>,
    /// When the current attempt sent its request.
    started: Option<Instant>,
    /// The current attempt's response head, and its first event.
    first_byte: Option<Instant>,
    first_event: Option<Instant>,
    last_event: Option<Instant>,
    /// The last time anything arrived (head, bytes, event).
    last_activity: Option<Instant>,
    last_gap: Option<Duration>,
    events: u64,
    /// Body bytes received, keep-alives and partial events included.
    bytes: u64,
    /// Whether an attempt is under way, so a stall can be told from a finished stream.
    live: bool,
    /// Events per second; `seconds[0]` is second `first_second` since `origin`.
    seconds: VecDeque<u64>,
    first_second: u64,
    gaps: [u64; 6],
}

impl Stats {
    /// Nothing observed yet: one per session (a new connection gets a new one).
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds one connection message received at `now`: `Connecting` starts an
    /// attempt, `Opened` is its first byte, each event in `Data` arrives at
    /// `now`, and an error, the end of the stream or `Closed` ends it.
    pub fn observe(&mut self, msg: &ConnMsg, now: Instant) {
        match msg {
            ConnMsg::Connecting { .. } => self.started(now),
            ConnMsg::AuthNotice { .. } | ConnMsg::Negotiated { .. } => {}
            ConnMsg::Opened { .. } => self.first_byte(now),
            ConnMsg::Data(chunk) => {
                self.received(now);
                self.bytes += chunk.bytes.len() as u64;
                for item in &chunk.items {
                    if let StreamItem::Event { .. } = item {
                        self.event(now);
                    }
                }
            }
            ConnMsg::StreamEnded { .. }
            | ConnMsg::Error { .. }
            | ConnMsg::ReconnectScheduled { .. }
            | ConnMsg::Closed { .. } => self.ended(),
        }
    }

    /// An attempt sent its request at `at`. The first-byte and first-event
    /// times that follow are measured from here, so they describe the latest attempt.
    pub fn started(&mut self, at: Instant) {
        self.origin.get_or_insert(at);
        self.started = Some(at);
        self.first_byte = None;
        self.first_event = None;
        self.last_activity = Some(at);
        self.live = true;
    }

    /// The response head arrived at `at` (only the first call per attempt counts).
    pub fn first_byte(&mut self, at: Instant) {
        self.origin.get_or_insert(at);
        self.first_byte.get_or_insert(at);
        self.touch(at);
    }

    /// Body bytes arrived at `at`, events or not (keep-alive comments count).
    pub fn received(&mut self, at: Instant) {
        self.origin.get_or_insert(at);
        self.touch(at);
    }

    /// An event arrived at `at`.
    pub fn event(&mut self, at: Instant) {
        let origin = *self.origin.get_or_insert(at);
        self.first_event.get_or_insert(at);
        if let Some(previous) = self.last_event {
            let gap = at.saturating_duration_since(previous);
            self.last_gap = Some(gap);
            let bucket = GAP_BOUNDS
                .iter()
                .position(|bound| gap < *bound)
                .unwrap_or(GAP_BOUNDS.len());
            self.gaps[bucket] += 1;
        }
        self.last_event = Some(at);
        self.events += 1;
        self.touch(at);
        self.count_in_second(at.saturating_duration_since(origin).as_secs());
    }

    /// The attempt is over (ended, failed, or the task closed): silence from
    /// now on is not a stall.
    pub fn ended(&mut self) {
        self.live = false;
    }

    /// Events seen over the session.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Body bytes received over the session.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Events per second over the last three seconds before `now`, from the
    /// per-second counts: the seconds wholly in that span, and the share of
    /// the oldest one still in it. Every event counts, however many arrive.
    pub fn rate(&self, now: Instant) -> f64 {
        let Some(origin) = self.origin else {
            return 0.0;
        };
        let since = now.saturating_duration_since(origin);
        let now_second = since.as_secs();
        let count = |back: u64| -> f64 {
            now_second
                .checked_sub(back)
                .and_then(|second| second.checked_sub(self.first_second))
                .and_then(|i| self.seconds.get(usize::try_from(i).ok()?))
                .map_or(0.0, |n| *n as f64)
        };
        // The span (now - 3 s, now] holds the current second so far, the
        // two before, and the end of the one before those.
        let oldest_share = 1.0 - f64::from(since.subsec_nanos()) / 1e9;
        let whole: f64 = (0..RATE_SECONDS).map(count).sum();
        (whole + oldest_share * count(RATE_SECONDS)) / RATE_SECONDS as f64
    }

    /// The gap between the last two events.
    pub fn last_gap(&self) -> Option<Duration> {
        self.last_gap
    }

    /// Time since the last event, live.
    pub fn since_last_event(&self, now: Instant) -> Option<Duration> {
        self.last_event.map(|at| now.saturating_duration_since(at))
    }

    /// From the latest attempt's request to its response head.
    pub fn time_to_first_byte(&self) -> Option<Duration> {
        Some(self.first_byte?.saturating_duration_since(self.started?))
    }

    /// From the latest attempt's request to its first event.
    pub fn time_to_first_event(&self) -> Option<Duration> {
        Some(self.first_event?.saturating_duration_since(self.started?))
    }

    /// Events in each of the last `n` one-second buckets, oldest first, the
    /// last one being the second that holds `now`. `n` is capped at
    /// [`WINDOW_SECONDS`]; seconds before the first event count zero.
    pub fn per_second(&self, now: Instant, n: usize) -> Vec<u64> {
        let n = n.min(WINDOW_SECONDS);
        let Some(origin) = self.origin else {
            return vec![0; n];
        };
        let now_second = now.saturating_duration_since(origin).as_secs();
        (0..n as u64)
            .map(|back| {
                let Some(second) = now_second.checked_sub(n as u64 - 1 - back) else {
                    return 0;
                };
                second
                    .checked_sub(self.first_second)
                    .and_then(|i| self.seconds.get(usize::try_from(i).ok()?))
                    .copied()
                    .unwrap_or(0)
            })
            .collect()
    }

    /// How many inter-event gaps fell in each log-scale bucket, labelled
    /// `<1ms` … `>=10s`. Events read together have a gap of zero.
    pub fn gap_histogram(&self) -> Vec<(String, u64)> {
        GAP_LABELS
            .iter()
            .zip(self.gaps)
            .map(|(label, count)| ((*label).to_owned(), count))
            .collect()
    }

    /// How long nothing has arrived, when an attempt is under way and that
    /// silence is at least `threshold`. Anything counts as arriving: the
    /// response head, keep-alive comments, events.
    pub fn stalled(&self, now: Instant, threshold: Duration) -> Option<Duration> {
        if !self.live {
            return None;
        }
        let silence = now.saturating_duration_since(self.last_activity?);
        (silence >= threshold).then_some(silence)
    }

    fn touch(&mut self, at: Instant) {
        if self.last_activity.is_none_or(|last| at > last) {
            self.last_activity = Some(at);
        }
    }

    /// Adds one event to its second's bucket, sliding the window forward.
    fn count_in_second(&mut self, second: u64) {
        let window = WINDOW_SECONDS as u64;
        if self.seconds.is_empty() || second >= self.first_second.saturating_add(window * 2) {
            // First event, or so long a silence that the whole window is zeros.
            self.seconds.clear();
            self.first_second = second;
        }
        let Some(index) = second.checked_sub(self.first_second) else {
            return; // Older than the window (instants out of order): not drawn anyway.
        };
        while self.seconds.len() as u64 <= index {
            self.seconds.push_back(0);
        }
        while self.seconds.len() > WINDOW_SECONDS {
            self.seconds.pop_front();
            self.first_second += 1;
        }
        if let Some(count) = second
            .checked_sub(self.first_second)
            .and_then(|i| self.seconds.get_mut(i as usize))
        {
            *count += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn first_byte_and_first_event_are_measured_from_the_request() {
        let t0 = Instant::now();
        let mut stats = Stats::new();
        stats.started(t0);
        stats.first_byte(t0 + ms(120));
        stats.first_byte(t0 + ms(500));
        stats.event(t0 + ms(300));
        stats.event(t0 + ms(450));
        assert_eq!(stats.time_to_first_byte(), Some(ms(120)));
        assert_eq!(stats.time_to_first_event(), Some(ms(300)));
        assert_eq!(stats.last_gap(), Some(ms(150)));
        assert_eq!(stats.since_last_event(t0 + ms(1450)), Some(ms(1000)));
        assert_eq!(stats.events(), 2);
    }

    #[test]
    fn a_new_attempt_measures_its_own_first_byte() {
        let t0 = Instant::now();
        let mut stats = Stats::new();
        stats.started(t0);
        stats.first_byte(t0 + ms(100));
        stats.started(t0 + ms(5000));
        assert_eq!(stats.time_to_first_byte(), None);
        stats.first_byte(t0 + ms(5040));
        assert_eq!(stats.time_to_first_byte(), Some(ms(40)));
    }

    #[test]
    fn the_rate_is_the_last_three_seconds_and_counts_every_event() {
        let t0 = Instant::now();
        let mut stats = Stats::new();
        assert_eq!(stats.rate(t0), 0.0, "nothing yet");
        stats.started(t0);
        for _ in 0..300_000 {
            stats.event(t0 + ms(100));
        }
        assert_eq!(stats.rate(t0 + ms(500)), 100_000.0, "no cap on arrivals");
        // Ten a second, steadily: ten a second, whatever the moment.
        for at in [3_000, 5_250, 7_900] {
            let mut steady = Stats::new();
            steady.started(t0);
            for i in (0..=at).step_by(100) {
                steady.event(t0 + ms(i));
            }
            let rate = steady.rate(t0 + ms(at));
            assert!((rate - 10.0).abs() < 0.5, "{at}: {rate}");
            // Long after the last: nothing.
            assert_eq!(steady.rate(t0 + ms(at + 4_000)), 0.0);
        }
    }

    #[test]
    fn bytes_count_every_read() {
        let chunk = |n: usize| {
            ConnMsg::Data(crate::sse::Chunk {
                attempt: 1,
                offset: 0,
                bytes: bytes::Bytes::from(vec![b':'; n]),
                received_at: SystemTime::now(),
                items: Vec::new(),
                facts: None,
            })
        };
        let mut stats = Stats::new();
        stats.observe(&chunk(10), Instant::now());
        stats.observe(&chunk(5), Instant::now());
        assert_eq!((stats.bytes(), stats.events()), (15, 0));
    }

    #[test]
    fn gaps_fall_in_log_scale_buckets() {
        let t0 = Instant::now();
        let mut stats = Stats::new();
        let mut at = t0;
        stats.event(at);
        for gap in [0, 5, 50, 500, 5_000, 50_000, 999] {
            at += ms(gap);
            stats.event(at);
        }
        let counts: Vec<u64> = stats.gap_histogram().into_iter().map(|(_, n)| n).collect();
        assert_eq!(counts, vec![1, 1, 1, 2, 1, 1]);
        assert_eq!(stats.gap_histogram()[5].0, ">=10s");
    }

    #[test]
    fn per_second_counts_the_last_n_seconds_oldest_first() {
        let t0 = Instant::now();
        let mut stats = Stats::new();
        stats.started(t0);
        for at in [100, 200, 1100, 3100, 3200, 3300] {
            stats.event(t0 + ms(at));
        }
        assert_eq!(stats.per_second(t0 + ms(3500), 5), vec![0, 2, 1, 0, 3]);
        assert_eq!(stats.per_second(t0 + ms(5500), 3), vec![3, 0, 0]);
        assert_eq!(stats.per_second(t0, 0), Vec::<u64>::new());
        assert_eq!(stats.per_second(t0, usize::MAX).len(), WINDOW_SECONDS);
    }

    #[test]
    fn per_second_memory_stays_within_the_window() {
        let t0 = Instant::now();
        let mut stats = Stats::new();
        for s in 0..3 * WINDOW_SECONDS as u64 {
            stats.event(t0 + Duration::from_secs(s));
        }
        assert!(stats.seconds.len() <= WINDOW_SECONDS);
        let now = t0 + Duration::from_secs(3 * WINDOW_SECONDS as u64 - 1);
        assert_eq!(stats.per_second(now, 3), vec![1, 1, 1]);
        // A silence longer than the window, then one event.
        let later = now + Duration::from_secs(10 * WINDOW_SECONDS as u64);
        stats.event(later);
        assert_eq!(stats.per_second(later, 2), vec![0, 1]);
    }

    #[test]
    fn a_stall_is_silence_past_the_threshold_while_connected() {
        let t0 = Instant::now();
        let mut stats = Stats::new();
        assert_eq!(stats.stalled(t0, ms(1000)), None, "nothing started");
        stats.started(t0);
        assert_eq!(stats.stalled(t0 + ms(999), ms(1000)), None);
        assert_eq!(stats.stalled(t0 + ms(1500), ms(1000)), Some(ms(1500)));
        stats.received(t0 + ms(1500));
        assert_eq!(stats.stalled(t0 + ms(2000), ms(1000)), None, "a keep-alive");
        assert_eq!(stats.stalled(t0 + ms(4000), ms(1000)), Some(ms(2500)));
        stats.ended();
        assert_eq!(
            stats.stalled(t0 + ms(9000), ms(1000)),
            None,
            "not a stall once ended"
        );
    }

    #[test]
    fn a_read_arrives_when_the_engine_stamped_it() {
        let now = Instant::now();
        let wall = SystemTime::now();
        let chunk = |received_at| {
            ConnMsg::Data(crate::sse::Chunk {
                attempt: 1,
                offset: 0,
                bytes: bytes::Bytes::new(),
                received_at,
                items: Vec::new(),
                facts: None,
            })
        };
        let two_s = Duration::from_secs(2);
        assert_eq!(arrival(&chunk(wall - two_s), now, wall), now - two_s);
        assert_eq!(
            arrival(&chunk(wall + two_s), now, wall),
            now,
            "stamped in the future"
        );
        let hour = Duration::from_secs(3600);
        assert_eq!(arrival(&chunk(wall - hour), now, wall), now, "a clock jump");
        let closed = ConnMsg::Closed {
            reason: crate::sse::CloseReason::Stopped,
        };
        assert_eq!(arrival(&closed, now, wall), now);
    }

    #[test]
    fn instants_out_of_order_do_not_panic() {
        let t0 = Instant::now();
        let mut stats = Stats::new();
        stats.event(t0 + Duration::from_secs(10));
        stats.event(t0);
        stats.started(t0 + Duration::from_secs(20));
        stats.first_byte(t0);
        assert_eq!(stats.last_gap(), Some(Duration::ZERO));
        assert_eq!(stats.time_to_first_byte(), Some(Duration::ZERO));
        assert_eq!(stats.per_second(t0, 2), vec![0, 2]);
    }
}
