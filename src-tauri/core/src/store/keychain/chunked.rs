//! Values split over several keychain entries, for Windows' size cap.
//!
//! The entry under `account` then holds only a header naming a random
//! generation and the part count; the parts live under `account#<gen>-<i>`.
//! Parts are written first and the header last, so a reader sees either the
//! old value or the new one, never a mix. The old parts are removed after;
//! when that fails the write has still happened, so it is a warning, and the
//! new header names the old generation, so the next write sweeps it again.

use super::SecretStore;
use crate::error::{Error, Result};
use crate::secret::Secret;

pub struct Chunked<S> {
    inner: S,
    limit: usize,
}

const CHUNK_HEADER: &str = "connector-console-chunks:";

/// A header's content: its generation and part count, and the previous
/// generation whose parts may still need removing.
struct Header {
    generation: String,
    count: usize,
    previous: Option<(String, usize)>,
}

impl Header {
    /// `<gen>:<count>` or `<gen>:<count>:<previous gen>:<previous count>` after the prefix.
    fn parse(value: &str) -> Option<Self> {
        let mut fields = value.strip_prefix(CHUNK_HEADER)?.split(':');
        let generation = fields.next()?.to_string();
        let count = fields.next()?.parse().ok()?;
        let previous = match (fields.next(), fields.next()) {
            (Some(g), Some(n)) => Some((g.to_string(), n.parse().ok()?)),
            _ => None,
        };
        Some(Self { generation, count, previous })
    }

    fn render(&self) -> Secret {
        let mut text = format!("{CHUNK_HEADER}{}:{}", self.generation, self.count);
        if let Some((g, n)) = &self.previous {
            text.push_str(&format!(":{g}:{n}"));
        }
        Secret::new(text)
    }

    /// Every generation this header knows of: its own and the previous one.
    fn generations(&self) -> impl Iterator<Item = (&str, usize)> {
        std::iter::once((self.generation.as_str(), self.count)).chain(self.previous.iter().map(|(g, n)| (g.as_str(), *n)))
    }
}

impl<S: SecretStore> Chunked<S> {
    pub fn new(inner: S, limit: usize) -> Self {
        Self { inner, limit: limit.max(1) }
    }

    pub fn inner(&self) -> &S {
        &self.inner
    }

    fn part(account: &str, generation: &str, i: usize) -> String {
        format!("{account}#{generation}-{i}")
    }

    /// Removes the parts of the given generations. The value itself is already
    /// written or deleted, so a failure here loses nothing: it is logged.
    fn sweep<'a>(&self, account: &str, generations: impl Iterator<Item = (&'a str, usize)>) {
        for (generation, count) in generations {
            for i in 0..count {
                if let Err(e) = self.inner.delete(&Self::part(account, generation, i)) {
                    tracing::warn!(account, generation, error = %e, "an old part of a split keychain value could not be removed; the next write retries");
                    break;
                }
            }
        }
    }

    fn write_parts(&self, account: &str, value: &str, previous: Option<(String, usize)>) -> Result<()> {
        let generation = rand::distributions::DistString::sample_string(&rand::distributions::Alphanumeric, &mut rand::thread_rng(), 8);
        let chars: Vec<char> = value.chars().collect();
        let parts: Vec<Secret> = chars.chunks(self.limit).map(|c| Secret::new(c.iter().collect::<String>())).collect();
        for (i, p) in parts.iter().enumerate() {
            self.inner.set(&Self::part(account, &generation, i), p)?;
        }
        self.inner.set(account, &Header { generation, count: parts.len(), previous }.render())
    }
}

impl<S: SecretStore> SecretStore for Chunked<S> {
    fn get(&self, account: &str) -> Result<Option<Secret>> {
        let Some(head) = self.inner.get(account)? else { return Ok(None) };
        let Some(header) = Header::parse(head.expose()) else { return Ok(Some(head)) };
        let mut value = String::new();
        for i in 0..header.count {
            match self.inner.get(&Self::part(account, &header.generation, i))? {
                Some(p) => value.push_str(p.expose()),
                // The header promises this part: without it the value is damaged, not absent.
                None => return Err(Error::KeychainCorrupt { account: account.to_string() }),
            }
        }
        Ok(Some(Secret::new(value)))
    }

    fn set(&self, account: &str, value: &Secret) -> Result<()> {
        let old = self.inner.get(account)?.and_then(|h| Header::parse(h.expose()));
        // Once split, a value stays in the split form even when short: its header is
        // where a failed removal of old parts is remembered for the next write.
        if value.expose().chars().count() > self.limit || old.is_some() {
            let previous = old.as_ref().map(|h| (h.generation.clone(), h.count));
            self.write_parts(account, value.expose(), previous)?;
        } else {
            self.inner.set(account, value)?;
        }
        if let Some(old) = &old {
            self.sweep(account, old.generations());
        }
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<()> {
        let Some(head) = self.inner.get(account)? else { return Ok(()) };
        // Parts first, header last: if a part can't be removed the delete fails and the
        // header still names every part, so trying again finishes it. The other order
        // would leave parts that nothing points to.
        if let Some(old) = Header::parse(head.expose()) {
            for (generation, count) in old.generations() {
                for i in 0..count {
                    self.inner.delete(&Self::part(account, generation, i))?;
                }
            }
        }
        self.inner.delete(account)
    }
}
