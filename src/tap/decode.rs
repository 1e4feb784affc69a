//! The decoded copy of a compressed body, a read at a time: the client gets
//! the upstream's bytes as sent (a proxy that decodes changes what it
//! tests), while the views and captures need the event stream inside.

use std::io::Write;

use brotli_decompressor::DecompressorWriter;
use bytes::Bytes;
use flate2::write::{MultiGzDecoder, ZlibDecoder};

/// A body's `Content-Encoding`, undone incrementally.
pub enum Decoder {
    Identity,
    Gzip(MultiGzDecoder<Vec<u8>>),
    Deflate(ZlibDecoder<Vec<u8>>),
    Brotli(Box<DecompressorWriter<Vec<u8>>>),
    /// An encoding not known here: nothing can be shown of the body.
    Unknown(String),
}

impl Decoder {
    /// The decoder for a `Content-Encoding` value (none: the identity).
    pub fn for_encoding(encoding: Option<&str>) -> Self {
        match encoding.map(|e| e.trim().to_ascii_lowercase()).as_deref() {
            None | Some("" | "identity") => Self::Identity,
            Some("gzip" | "x-gzip") => Self::Gzip(MultiGzDecoder::new(Vec::new())),
            Some("deflate") => Self::Deflate(ZlibDecoder::new(Vec::new())),
            Some("br") => Self::Brotli(Box::new(DecompressorWriter::new(Vec::new(), 4096))),
            Some(other) => Self::Unknown(other.to_owned()),
        }
    }

    /// The decoded bytes `read` adds (maybe none yet), or why the body
    /// cannot be decoded.
    pub fn decode(&mut self, read: &Bytes) -> Result<Bytes, String> {
        fn through<W: Write>(
            w: &mut W,
            read: &[u8],
            out: impl FnOnce(&mut W) -> Vec<u8>,
        ) -> Result<Bytes, String> {
            w.write_all(read)
                .and_then(|()| w.flush())
                .map_err(|e| e.to_string())?;
            Ok(Bytes::from(out(w)))
        }
        match self {
            Self::Identity => Ok(read.clone()),
            Self::Gzip(d) => through(d, read, |d| std::mem::take(d.get_mut())),
            Self::Deflate(d) => through(d, read, |d| std::mem::take(d.get_mut())),
            Self::Brotli(d) => through(d.as_mut(), read, |d| std::mem::take(d.get_mut())),
            Self::Unknown(name) => Err(format!(
                "the body is encoded as {name:?}, which ssetui cannot decode"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gzip_body_split_anywhere_decodes_to_the_original() {
        let original = b"data: one\n\ndata: two\n\n".repeat(50);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&original).unwrap();
        let compressed = gz.finish().unwrap();
        let mut d = Decoder::for_encoding(Some("gzip"));
        let mut out = Vec::new();
        for piece in compressed.chunks(7) {
            out.extend_from_slice(&d.decode(&Bytes::copy_from_slice(piece)).unwrap());
        }
        assert_eq!(out, original);
        assert!(matches!(
            Decoder::for_encoding(Some("zstd")),
            Decoder::Unknown(_)
        ));
        assert!(matches!(Decoder::for_encoding(None), Decoder::Identity));
    }
}
