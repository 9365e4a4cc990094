//! Publishing to an S3-compatible bucket through `object_store`. Credentials and region
//! come from the standard environment variables (`AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`), never from the document.
//! A single object's upload is atomic in S3: readers see the old object or the new one.

use super::manifest::{MANIFEST_FILE, Manifest, content_type};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as KeyPath;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};
use std::time::Duration;

/// Readers' browsers and CDNs may keep a file this long: a live page moves by the minute.
const CACHE_CONTROL: &str = "public, max-age=15";

pub(crate) struct Bucket {
    store: AmazonS3,
    prefix: String,
    runtime: tokio::runtime::Runtime,
    label: String,
}

impl Bucket {
    pub fn open(bucket: &str, prefix: &str, endpoint: Option<&str>) -> Result<Self, String> {
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_retry(object_store::RetryConfig {
                max_retries: 2,
                retry_timeout: Duration::from_secs(20),
                ..Default::default()
            });
        if std::env::var_os("AWS_REGION").is_none()
            && std::env::var_os("AWS_DEFAULT_REGION").is_none()
        {
            builder = builder.with_region("us-east-1");
        }
        if let Some(endpoint) = endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        let store = builder
            .build()
            .map_err(|error| format!("could not set up the bucket {bucket}: {error}"))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| format!("could not start the upload runtime: {error}"))?;
        Ok(Self {
            store,
            prefix: prefix.to_owned(),
            runtime,
            label: format!("s3://{bucket}/{prefix}"),
        })
    }

    fn key(&self, name: &str) -> KeyPath {
        if self.prefix.is_empty() {
            KeyPath::from(name)
        } else {
            KeyPath::from(format!("{}/{name}", self.prefix))
        }
    }

    pub fn manifest(&self) -> Result<Manifest, String> {
        let key = self.key(MANIFEST_FILE);
        self.runtime.block_on(async {
            match self.store.get(&key).await {
                Ok(result) => match result.bytes().await {
                    Ok(bytes) => Ok(Manifest::parse(&bytes)),
                    Err(error) => Err(format!("could not read {}: {error}", self.label)),
                },
                Err(object_store::Error::NotFound { .. }) => Ok(Manifest::default()),
                Err(error) => Err(format!("could not reach {}: {error}", self.label)),
            }
        })
    }

    pub fn put(&self, name: &str, bytes: &[u8]) -> Result<(), String> {
        let key = self.key(name);
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, content_type(name).into());
        attributes.insert(Attribute::CacheControl, CACHE_CONTROL.into());
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        let payload = PutPayload::from(bytes.to_vec());
        self.runtime
            .block_on(self.store.put_opts(&key, payload, options))
            .map(|_| ())
            .map_err(|error| format!("could not upload {name} to {}: {error}", self.label))
    }

    pub fn delete(&self, name: &str) -> Result<(), String> {
        let key = self.key(name);
        match self.runtime.block_on(self.store.delete(&key)) {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(format!(
                "could not remove {name} from {}: {error}",
                self.label
            )),
        }
    }
}
