//! The CCG register: one row per Clinical Commissioning Group (docs/model.md section 2).
//!
//! The real April 2013 register (211 CCGs) is embedded in the binary, so the tool runs from any
//! directory with no data files. Any CSV with the same required columns can replace it.

use std::collections::HashMap;

use thiserror::Error;

use super::geo::DistanceMatrix;

/// The real April 2013 register, as shipped in `scenarios/data/ccgs_2013.csv`.
pub const BUILTIN_REGISTER_CSV: &str = include_str!("../../scenarios/data/ccgs_2013.csv");

/// Name under which the built-in register appears in messages and outputs.
pub const BUILTIN_REGISTER_NAME: &str = "built-in register (scenarios/data/ccgs_2013.csv)";

/// Columns every register must have.
pub const REQUIRED_COLUMNS: [&str; 5] = ["code", "name", "population", "lat", "lon"];

/// Latitude range accepted for a CCG location: England's bounding box \[degrees\].
pub const LAT_RANGE: (f64, f64) = (49.8, 55.9);

/// Longitude range accepted for a CCG location: England's bounding box \[degrees\].
pub const LON_RANGE: (f64, f64) = (-6.5, 1.8);

/// Largest population accepted for one CCG: more than England's whole population.
pub const MAX_POPULATION: f64 = 1.0e8;

/// Largest register accepted, in rows (England has about 200 CCGs).
pub const MAX_CCGS: usize = 5_000;

/// One Clinical Commissioning Group.
#[derive(Clone, Debug, PartialEq)]
pub struct Ccg {
    /// ODS code, unique in the register (e.g. `04G`).
    pub code: String,
    /// Name as published.
    pub name: String,
    /// Registered population \[people\].
    pub population: f64,
    /// Latitude of the area centroid \[degrees\].
    pub lat: f64,
    /// Longitude of the area centroid \[degrees\].
    pub lon: f64,
    /// NHS region, when the register gives one.
    pub region: Option<String>,
    /// Authorisation wave 1-4, when the register gives one; otherwise drawn (section 3).
    pub wave: Option<u8>,
}

/// A problem found in a register file, with the place it was found.
#[derive(Debug, Error, Clone, PartialEq)]
#[error("{source_name}: line {line}{}: {message}", column.as_ref().map(|c| format!(", column '{c}'")).unwrap_or_default())]
pub struct RegisterError {
    /// The file (or built-in name) the register came from.
    pub source_name: String,
    /// 1-based line of the file (1 = header).
    pub line: usize,
    /// Column concerned, if any.
    pub column: Option<String>,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// Every problem found in a register file, in line order: at least one, at most
/// [`MAX_REGISTER_PROBLEMS`] (a file with more has more wrong than its rows).
#[derive(Debug, Error, Clone, PartialEq)]
pub struct RegisterErrors(pub Vec<RegisterError>);

/// Most row problems collected from one register file.
pub const MAX_REGISTER_PROBLEMS: usize = 1000;

impl std::fmt::Display for RegisterErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.as_slice() {
            [one] => write!(f, "{one}"),
            all => {
                let name = all.first().map_or("the register", |e| e.source_name.as_str());
                write!(f, "{name} has {} problems", all.len())?;
                for problem in all.iter().take(20) {
                    write!(f, "\n  {problem}")?;
                }
                if all.len() > 20 {
                    write!(f, "\n  and {} more", all.len() - 20)?;
                }
                Ok(())
            }
        }
    }
}

impl RegisterErrors {
    /// The first problem.
    pub fn first(&self) -> Option<&RegisterError> {
        self.0.first()
    }
}

impl From<RegisterError> for RegisterErrors {
    fn from(err: RegisterError) -> RegisterErrors {
        RegisterErrors(vec![err])
    }
}

/// A validated CCG register: non-empty, unique codes, valid populations and coordinates.
#[derive(Clone, Debug)]
pub struct Register {
    name: String,
    ccgs: Vec<Ccg>,
    distances: DistanceMatrix,
    total_population: f64,
}

impl Register {
    /// Returns the embedded April 2013 register.
    ///
    /// The embedded file is checked by a test, so parsing cannot fail at run time.
    pub fn builtin() -> Register {
        Register::parse(BUILTIN_REGISTER_CSV.as_bytes(), BUILTIN_REGISTER_NAME)
            .unwrap_or_else(|err| unreachable!("the embedded register is valid: {err}"))
    }

    /// Parses a register from CSV bytes; `source_name` labels errors.
    pub fn parse(bytes: &[u8], source_name: &str) -> Result<Register, RegisterErrors> {
        let ccgs = RowParser::new(source_name).parse(bytes)?;
        Ok(Register::from_ccgs(source_name, ccgs))
    }

    /// Builds a register from CCGs already validated by the caller (used by tests).
    pub fn from_ccgs(name: &str, ccgs: Vec<Ccg>) -> Register {
        let points: Vec<(f64, f64)> = ccgs.iter().map(|c| (c.lat, c.lon)).collect();
        let total_population = ccgs.iter().map(|c| c.population).sum();
        Register {
            name: name.to_string(),
            distances: DistanceMatrix::from_points(&points),
            ccgs,
            total_population,
        }
    }

    /// Returns the name of the register's source.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Returns the CCGs in row order (the CCG index).
    pub fn ccgs(&self) -> &[Ccg] {
        &self.ccgs
    }

    /// Returns the number of CCGs.
    pub fn len(&self) -> usize {
        self.ccgs.len()
    }

    /// Returns true when the register holds no CCG (never, for a parsed register).
    pub fn is_empty(&self) -> bool {
        self.ccgs.is_empty()
    }

    /// Returns the distances between CCG locations \[km\].
    pub fn distances(&self) -> &DistanceMatrix {
        &self.distances
    }

    /// Returns the sum of all CCG populations \[people\].
    pub fn total_population(&self) -> f64 {
        self.total_population
    }

    /// Returns the populations in row order \[people\].
    pub fn populations(&self) -> Vec<f64> {
        self.ccgs.iter().map(|c| c.population).collect()
    }
}

/// Column positions of a register's header.
struct Columns {
    code: usize,
    name: usize,
    population: usize,
    lat: usize,
    lon: usize,
    region: Option<usize>,
    wave: Option<usize>,
}

/// Reads register rows one by one, reporting the first problem with its line and column.
struct RowParser<'a> {
    source_name: &'a str,
}

impl<'a> RowParser<'a> {
    fn new(source_name: &'a str) -> RowParser<'a> {
        RowParser { source_name }
    }

    fn error(&self, line: usize, column: Option<&str>, message: String) -> RegisterError {
        RegisterError {
            source_name: self.source_name.to_string(),
            line,
            column: column.map(str::to_string),
            message,
        }
    }

    fn parse(&self, bytes: &[u8]) -> Result<Vec<Ccg>, RegisterErrors> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let header = reader
            .byte_headers()
            .map_err(|e| self.error(1, None, format!("cannot read the header row: {e}")))?
            .clone();
        if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
            return Err(self
                .error(
                    1,
                    None,
                    format!(
                        "the file is empty: a header row with the columns {} is required",
                        REQUIRED_COLUMNS.join(", ")
                    ),
                )
                .into());
        }
        let columns = self.columns(&header)?;
        let mut ccgs = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        // Every bad row is reported, not just the first: a row with a problem is set aside and
        // the next one read.
        let mut problems = Vec::new();
        for (row_idx, record) in reader.byte_records().enumerate() {
            let line = row_idx + 2;
            if problems.len() >= MAX_REGISTER_PROBLEMS {
                break;
            }
            match self.checked_row(&columns, &header, record, line, ccgs.len(), &mut seen) {
                Ok(ccg) => ccgs.push(ccg),
                Err(err) if err.message.starts_with("more than") => {
                    problems.push(err);
                    break;
                }
                Err(err) => problems.push(err),
            }
        }
        if !problems.is_empty() {
            return Err(RegisterErrors(problems));
        }
        if ccgs.is_empty() {
            return Err(self
                .error(1, None, "the register has a header but no CCG rows".to_string())
                .into());
        }
        Ok(ccgs)
    }

    /// Reads one row and checks it alone and against the codes seen so far.
    fn checked_row(
        &self,
        columns: &Columns,
        header: &csv::ByteRecord,
        record: Result<csv::ByteRecord, csv::Error>,
        line: usize,
        rows: usize,
        seen: &mut HashMap<String, usize>,
    ) -> Result<Ccg, RegisterError> {
        {
            let record = record.map_err(|e| self.error(line, None, format!("malformed CSV: {e}")))?;
            if record.len() > header.len() {
                return Err(self.error(
                    line,
                    None,
                    format!(
                        "the row has {} fields but the header names {}: a stray comma or an unquoted name?",
                        record.len(),
                        header.len()
                    ),
                ));
            }
            if rows >= MAX_CCGS {
                return Err(self.error(
                    line,
                    None,
                    format!("more than {MAX_CCGS} rows: a register holds one row per CCG (England has about 200)"),
                ));
            }
            let ccg = self.row(columns, &record, line)?;
            if let Some(first) = seen.get(&ccg.code) {
                return Err(self.error(
                    line,
                    Some("code"),
                    format!(
                        "duplicate code '{}' (first on line {first}): codes must be unique",
                        ccg.code
                    ),
                ));
            }
            seen.insert(ccg.code.clone(), line);
            Ok(ccg)
        }
    }

    fn columns(&self, header: &csv::ByteRecord) -> Result<Columns, RegisterError> {
        let names: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        if let Some((idx, name)) = names
            .iter()
            .enumerate()
            .find(|(idx, name)| !name.is_empty() && names[..*idx].contains(name))
        {
            return Err(self.error(
                1,
                Some(name),
                format!(
                    "column '{name}' appears twice in the header (column {}): each column once",
                    idx + 1
                ),
            ));
        }
        let find = |name: &str| names.iter().position(|n| n == name);
        let [Some(code), Some(name), Some(population), Some(lat), Some(lon)] = REQUIRED_COLUMNS.map(find) else {
            let missing: Vec<&str> = REQUIRED_COLUMNS.iter().copied().filter(|c| find(c).is_none()).collect();
            return Err(self.error(
                1,
                missing.first().copied(),
                format!(
                    "missing required column(s) {}: the header must name {} (optional: region, wave)",
                    missing.join(", "),
                    REQUIRED_COLUMNS.join(", ")
                ),
            ));
        };
        Ok(Columns {
            code,
            name,
            population,
            lat,
            lon,
            region: find("region"),
            wave: find("wave"),
        })
    }

    fn field<'r>(
        &self,
        record: &'r csv::ByteRecord,
        idx: usize,
        column: &str,
        line: usize,
    ) -> Result<&'r str, RegisterError> {
        let raw = record.get(idx).ok_or_else(|| {
            self.error(
                line,
                Some(column),
                format!(
                    "the row has {} fields but the header has more: no value for '{column}'",
                    record.len()
                ),
            )
        })?;
        std::str::from_utf8(raw)
            .map(str::trim)
            .map_err(|_| self.error(line, Some(column), "the value is not valid UTF-8 text".to_string()))
    }

    fn number(&self, record: &csv::ByteRecord, idx: usize, column: &str, line: usize) -> Result<f64, RegisterError> {
        let text = self.field(record, idx, column, line)?;
        let value: f64 = text
            .parse()
            .map_err(|_| self.error(line, Some(column), format!("'{text}' is not a number")))?;
        if !value.is_finite() {
            return Err(self.error(line, Some(column), format!("'{text}' is not a finite number")));
        }
        Ok(value)
    }

    fn row(&self, columns: &Columns, record: &csv::ByteRecord, line: usize) -> Result<Ccg, RegisterError> {
        let code = self.field(record, columns.code, "code", line)?.to_string();
        if code.is_empty() {
            return Err(self.error(
                line,
                Some("code"),
                "the code is empty: every CCG needs a unique code".to_string(),
            ));
        }
        let name = self.field(record, columns.name, "name", line)?.to_string();
        let population = self.number(record, columns.population, "population", line)?;
        if !(1.0..=MAX_POPULATION).contains(&population) {
            return Err(self.error(
                line,
                Some("population"),
                format!(
                    "population {population} is out of range: it must be at least 1 and at most {MAX_POPULATION:e}"
                ),
            ));
        }
        let lat = self.number(record, columns.lat, "lat", line)?;
        if !(LAT_RANGE.0..=LAT_RANGE.1).contains(&lat) {
            return Err(self.error(
                line,
                Some("lat"),
                format!(
                    "latitude {lat} is outside England ({} to {} degrees)",
                    LAT_RANGE.0, LAT_RANGE.1
                ),
            ));
        }
        let lon = self.number(record, columns.lon, "lon", line)?;
        if !(LON_RANGE.0..=LON_RANGE.1).contains(&lon) {
            return Err(self.error(
                line,
                Some("lon"),
                format!(
                    "longitude {lon} is outside England ({} to {} degrees)",
                    LON_RANGE.0, LON_RANGE.1
                ),
            ));
        }
        let region = match columns.region {
            Some(idx) => Some(self.field(record, idx, "region", line)?.to_string()).filter(|r| !r.is_empty()),
            None => None,
        };
        let wave = match columns.wave {
            Some(idx) => self.wave(self.field(record, idx, "wave", line)?, line)?,
            None => None,
        };
        Ok(Ccg {
            code,
            name,
            population,
            lat,
            lon,
            region,
            wave,
        })
    }

    fn wave(&self, text: &str, line: usize) -> Result<Option<u8>, RegisterError> {
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<u8>() {
            Ok(w @ 1..=4) => Ok(Some(w)),
            _ => Err(self.error(
                line,
                Some("wave"),
                format!("wave '{text}' is not allowed: use 1, 2, 3 or 4, or leave it empty to draw it"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Register, RegisterErrors> {
        Register::parse(text.as_bytes(), "test.csv")
    }

    #[test]
    fn builtin_register_has_211_ccgs_and_56_million_people() {
        let register = Register::builtin();
        assert_eq!(register.len(), 211);
        assert_eq!(register.total_population(), 56_002_534.0);
        assert!(register.ccgs().iter().all(|c| c.wave.is_none()));
    }

    #[test]
    fn optional_wave_column_is_read_and_empty_cells_are_drawn() {
        let register = parse("code,name,population,lat,lon,wave\nA,a,100,52,-1,2\nB,b,200,53,-1,\n").unwrap();
        assert_eq!(register.ccgs()[0].wave, Some(2));
        assert_eq!(register.ccgs()[1].wave, None);
    }

    fn check_error(text: &str, line: usize, column: Option<&str>, fragment: &str) {
        let errors = parse(text).unwrap_err();
        assert_eq!(errors.0.len(), 1, "{errors}");
        let err = errors.first().unwrap();
        assert_eq!(err.line, line, "{err}");
        assert_eq!(err.column.as_deref(), column, "{err}");
        assert!(err.to_string().contains(fragment), "{err}");
    }

    #[test]
    fn bad_rows_are_rejected_with_line_and_column() {
        let head = "code,name,population,lat,lon\n";
        check_error("", 1, None, "empty");
        check_error(
            "code,name,lat,lon\nA,a,52,-1\n",
            1,
            Some("population"),
            "missing required column",
        );
        check_error(
            &format!("{head}A,a,100,52,-1\nA,b,100,52,-1\n"),
            3,
            Some("code"),
            "duplicate code 'A'",
        );
        check_error(&format!("{head}A,a,0,52,-1\n"), 2, Some("population"), "at least 1");
        check_error(
            &format!("{head}A,a,1e-300,52,-1\n"),
            2,
            Some("population"),
            "at least 1",
        );
        check_error(
            &format!("{head}A,a,100,52,-1,extra\n"),
            2,
            None,
            "the row has 6 fields but the header names 5",
        );
        check_error(
            "code,name,population,lat,lon,code\nA,a,100,52,-1,B\n",
            1,
            Some("code"),
            "appears twice",
        );
        check_error(&format!("{head}A,a,-5,52,-1\n"), 2, Some("population"), "out of range");
        check_error(&format!("{head}A,a,1e9,52,-1\n"), 2, Some("population"), "at most");
        check_error(&format!("{head}A,a,100,NaN,-1\n"), 2, Some("lat"), "finite");
        check_error(&format!("{head}A,a,100,40,-1\n"), 2, Some("lat"), "outside England");
        check_error(&format!("{head}A,a,100,52,5\n"), 2, Some("lon"), "outside England");
        check_error(
            &format!("{head}A,a,many,52,-1\n"),
            2,
            Some("population"),
            "not a number",
        );
        check_error(&format!("{head}A,a,100\n"), 2, Some("lat"), "no value");
        check_error(head, 1, None, "no CCG rows");
        check_error(
            "code,name,population,lat,lon,wave\nA,a,100,52,-1,7\n",
            2,
            Some("wave"),
            "1, 2, 3 or 4",
        );
    }

    #[test]
    fn non_utf8_bytes_are_an_error_not_a_panic() {
        let err = Register::parse(b"code,name,population,lat,lon\nA,\xff\xfe,100,52,-1\n", "x.csv").unwrap_err();
        assert_eq!(err.first().unwrap().column.as_deref(), Some("name"));
    }

    #[test]
    fn every_bad_row_is_reported_in_one_pass() {
        // Rows 2, 4 and 5 are wrong in different ways; rows 3 and 6 are fine.
        let text =
            "code,name,population,lat,lon\nA,a,0,52,-1\nB,b,100,52,-1\nC,c,100,40,-1\nB,d,100,52,-1\nE,e,100,52,-1\n";
        let errors = parse(text).unwrap_err();
        let found: Vec<(usize, Option<&str>)> = errors.0.iter().map(|e| (e.line, e.column.as_deref())).collect();
        assert_eq!(found, [(2, Some("population")), (4, Some("lat")), (5, Some("code"))]);
        let shown = errors.to_string();
        assert!(shown.starts_with("test.csv has 3 problems"), "{shown}");
    }
}
