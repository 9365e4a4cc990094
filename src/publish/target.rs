//! Where a blog is published: a folder (for any static host, rsync or a CDN origin) or an
//! S3-compatible bucket. Credentials are never part of a target: buckets read them from
//! the standard environment variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_SESSION_TOKEN`, `AWS_REGION`/`AWS_DEFAULT_REGION`).

use std::fmt;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Folder(PathBuf),
    Bucket {
        bucket: String,
        /// Key prefix inside the bucket, without leading or trailing slashes; may be empty.
        prefix: String,
        /// An S3-compatible server's address; `None` for AWS.
        endpoint: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("no publish target is set: choose a folder or an s3://bucket/prefix address")]
    Missing,
    #[error("“{0}” names no bucket: write it as s3://bucket/prefix")]
    NoBucket(String),
    #[error("the endpoint “{0}” must start with http:// or https://")]
    BadEndpoint(String),
    #[error("an endpoint is only used with an s3:// target")]
    EndpointWithoutBucket,
}

impl Target {
    /// Reads a target as typed in the settings or given to `--to`.
    pub fn parse(text: &str, endpoint: Option<&str>) -> Result<Self, TargetError> {
        let text = text.trim();
        let endpoint = endpoint.map(str::trim).filter(|e| !e.is_empty());
        if text.is_empty() {
            return Err(TargetError::Missing);
        }
        if let Some(endpoint) = endpoint
            && !(endpoint.starts_with("http://") || endpoint.starts_with("https://"))
        {
            return Err(TargetError::BadEndpoint(endpoint.to_owned()));
        }
        let Some(rest) = text.strip_prefix("s3://") else {
            if endpoint.is_some() {
                return Err(TargetError::EndpointWithoutBucket);
            }
            return Ok(Target::Folder(PathBuf::from(text)));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        // Bucket names are lowercase letters, digits, dots and hyphens.
        let bucket_ok = !bucket.is_empty()
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
        if !bucket_ok {
            return Err(TargetError::NoBucket(text.to_owned()));
        }
        Ok(Target::Bucket {
            bucket: bucket.to_owned(),
            prefix: prefix.trim_matches('/').to_owned(),
            endpoint: endpoint.map(str::to_owned),
        })
    }

    /// The blog's own target from its settings.
    pub fn of(settings: &crate::model::PublishSettings) -> Result<Self, TargetError> {
        Self::parse(&settings.target, Some(&settings.endpoint))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Folder(path) => write!(f, "{}", path.display()),
            Target::Bucket { bucket, prefix, .. } if prefix.is_empty() => {
                write!(f, "s3://{bucket}")
            }
            Target::Bucket { bucket, prefix, .. } => write!(f, "s3://{bucket}/{prefix}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_buckets_are_told_apart() {
        assert_eq!(
            Target::parse("/srv/www/live", None),
            Ok(Target::Folder("/srv/www/live".into()))
        );
        assert_eq!(
            Target::parse("s3://news-live/ukraine/", Some("http://127.0.0.1:9000")),
            Ok(Target::Bucket {
                bucket: "news-live".into(),
                prefix: "ukraine".into(),
                endpoint: Some("http://127.0.0.1:9000".into()),
            })
        );
        assert_eq!(Target::parse("  ", None), Err(TargetError::Missing));
        assert!(matches!(
            Target::parse("s3://", None),
            Err(TargetError::NoBucket(_))
        ));
        assert!(matches!(
            Target::parse("s3://Bad_Name", None),
            Err(TargetError::NoBucket(_))
        ));
        assert!(matches!(
            Target::parse("s3://b", Some("ftp://x")),
            Err(TargetError::BadEndpoint(_))
        ));
        assert_eq!(
            Target::parse("site", Some("http://x")),
            Err(TargetError::EndpointWithoutBucket)
        );
    }
}
