//! Number locations (号码归属地): the country, region and city a phone number belongs to, in
//! Chinese and English, from libphonenumber's geocoding data as compiled into
//! `assets/geo/numbers.bin.gz` by `scripts/make-geodata.py` (format described there). The
//! file is decoded once, on the first lookup, into sorted range starts and a place table, so a
//! lookup is one binary search.

use std::io::Read;
use std::sync::OnceLock;

use switchboard_voice::directory::{normalize_number, COUNTRY_CODE};

static DATA: &[u8] = include_bytes!("../assets/geo/numbers.bin.gz");

/// Digits of a number that make a key: country code first, right-padded with zeros.
const KEY_DIGITS: usize = 12;
const NONE: u32 = u32::MAX;

/// Where a number belongs, named in one language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Names {
    pub country: Option<String>,
    /// A province or state, or a description of the whole area (e.g. 北京市, New York).
    pub region: Option<String>,
    pub city: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The ISO 3166 region code (CN, US, …).
    pub country: String,
    pub zh: Names,
    pub en: Names,
}

struct Place {
    country: u32,
    names: [u32; 6],
}

struct Table {
    strings: Vec<String>,
    places: Vec<Place>,
    starts: Vec<u64>,
    /// The place of each range + 1; 0 where nothing is known.
    place_of: Vec<u32>,
}

/// The location of a number in E.164 (`+8613800138000`) or a national form (`010-…`, read as
/// Chinese); `None` for short numbers, unknown prefixes and anything that is not a number.
pub fn locate(number: &str) -> Option<Location> {
    let e164 = normalize_number(number, COUNTRY_CODE)?;
    let digits = e164.strip_prefix('+')?;
    if digits.len() < 4 {
        return None;
    }
    let mut key: String = digits.chars().take(KEY_DIGITS).collect();
    while key.len() < KEY_DIGITS {
        key.push('0');
    }
    let key: u64 = key.parse().ok()?;
    table().and_then(|t| t.find(key))
}

fn table() -> Option<&'static Table> {
    static TABLE: OnceLock<Option<Table>> = OnceLock::new();
    TABLE
        .get_or_init(|| match decode(DATA) {
            Ok(t) => Some(t),
            Err(why) => {
                tracing::error!(%why, "the number location data is unreadable");
                None
            }
        })
        .as_ref()
}

impl Table {
    fn find(&self, key: u64) -> Option<Location> {
        let i = self.starts.partition_point(|&s| s <= key).checked_sub(1)?;
        let place = self.places.get(self.place_of[i].checked_sub(1)? as usize)?;
        let s = |id: u32| match id {
            NONE => None,
            id => self.strings.get(id as usize).cloned(),
        };
        let [country_zh, country_en, region_zh, city_zh, region_en, city_en] = place.names;
        Some(Location {
            country: s(place.country)?,
            zh: Names {
                country: s(country_zh),
                region: s(region_zh),
                city: s(city_zh),
            },
            en: Names {
                country: s(country_en),
                region: s(region_en),
                city: s(city_en),
            },
        })
    }
}

/// Reads the gzipped file; any defect is an error, never a panic.
fn decode(gz: &[u8]) -> Result<Table, String> {
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_end(&mut raw)
        .map_err(|e| e.to_string())?;
    let mut r = Reader { buf: &raw, at: 0 };
    if r.take(6)? != b"SBGEO1" {
        return Err("not a number location file".into());
    }
    let strings = (0..r.u32()?)
        .map(|_| {
            let len = r.u16()? as usize;
            String::from_utf8(r.take(len)?.to_vec()).map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    let places = (0..r.u32()?)
        .map(|_| {
            let country = u32::from(r.u16()?);
            let mut names = [0; 6];
            for n in &mut names {
                *n = r.u32()?;
            }
            Ok(Place { country, names })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let count = r.u32()? as usize;
    let (mut starts, mut place_of) = (Vec::with_capacity(count), Vec::with_capacity(count));
    let mut start = 0u64;
    for _ in 0..count {
        start = start
            .checked_add(r.varint()?)
            .ok_or("range start overflows")?;
        starts.push(start);
        place_of.push(u32::try_from(r.varint()?).map_err(|e| e.to_string())?);
    }
    Ok(Table {
        strings,
        places,
        starts,
        place_of,
    })
}

struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.buf.len());
        let end = end.ok_or("the number location file ends early")?;
        let bytes = &self.buf[self.at..end];
        self.at = end;
        Ok(bytes)
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes([self.take(1)?[0], self.take(1)?[0]]))
    }
    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a varint is too long".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh(n: &str) -> Names {
        locate(n).expect(n).zh
    }

    fn en(n: &str) -> Names {
        locate(n).expect(n).en
    }

    #[test]
    fn a_beijing_mobile_in_both_languages() {
        let l = locate("+86 138 0013 8000").unwrap();
        assert_eq!(l.country, "CN");
        assert_eq!(l.zh.country.as_deref(), Some("中国"));
        assert_eq!(l.zh.region.as_deref(), Some("北京市"));
        assert_eq!(l.en.region.as_deref(), Some("Beijing"));
        // The national form is read as Chinese.
        assert_eq!(locate("13800138000"), Some(l));
    }

    #[test]
    fn chinese_provinces_and_cities_are_split() {
        let z = zh("+8675512345678");
        assert_eq!(
            (z.region.as_deref(), z.city.as_deref()),
            (Some("广东省"), Some("深圳市"))
        );
        let e = en("0755-12345678");
        assert_eq!(
            (e.region.as_deref(), e.city.as_deref()),
            (Some("Guangdong"), Some("Shenzhen"))
        );
    }

    #[test]
    fn fixed_lines_by_area_code() {
        assert_eq!(zh("021-6123-4567").region.as_deref(), Some("上海市"));
        assert_eq!(en("+862161234567").region.as_deref(), Some("Shanghai"));
        assert_eq!(zh("010 8888 6666").region.as_deref(), Some("北京市"));
    }

    #[test]
    fn other_countries_by_name_and_area_where_known() {
        let us = locate("+1 212 555 0123").unwrap();
        assert_eq!(us.country, "US");
        assert_eq!(us.zh.country.as_deref(), Some("美国"));
        assert_eq!(us.en.country.as_deref(), Some("United States"));
        assert_eq!(us.en.city.as_deref(), Some("New York"));
        // Numbers sharing a country code are told apart by area code.
        assert_eq!(locate("+14165550123").unwrap().country, "CA");
        assert_eq!(locate("+77012345678").unwrap().country, "KZ");
        assert_eq!(locate("+79161234567").unwrap().country, "RU");
        assert_eq!(en("+442079460000").city, None);
        assert_eq!(en("+442079460000").region.as_deref(), Some("London"));
        assert_eq!(zh("+85221234567").country.as_deref(), Some("香港"));
    }

    #[test]
    fn no_location_for_what_is_not_a_number() {
        assert_eq!(locate("anonymous"), None);
        assert_eq!(locate("4000"), None);
        assert_eq!(locate("+"), None);
        assert_eq!(locate("+999999999999"), None);
        assert_eq!(locate("+86abc"), None);
    }

    #[test]
    fn damaged_data_is_an_error_not_a_panic() {
        assert!(decode(b"not gzip").is_err());
        let mut gz = Vec::new();
        {
            use std::io::Write;
            let mut w = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::fast());
            w.write_all(b"SBGEO1\xff\xff\xff\xff").unwrap();
        }
        assert!(decode(&gz).is_err());
    }
}
