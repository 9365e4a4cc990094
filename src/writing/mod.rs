//! Writing aids, below the UI and using only `model`: which parts of a field are prose
//! (`prose`), its words (`words`), spellchecking with the bundled Hunspell dictionaries
//! (`dictionaries`, `spelling`), the house's typography as you type (`typography`), and
//! word counts and reading times kept current cheaply (`counts`).

pub mod counts;
pub mod dictionaries;
pub mod paragraphs;
pub mod prose;
pub mod spelling;
pub mod typography;
pub mod words;
