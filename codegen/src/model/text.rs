//! Bilingual text: every description and summary in the model carries English and Chinese.

/// A language the docs are rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    /// English (`en-US`).
    En,
    /// Simplified Chinese (`zh-CN`).
    Zh,
}

impl Lang {
    /// Both languages, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The BCP 47 tag (`en-US`, `zh-CN`), as used by the spec's `x-genauth-i18n` keys.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en-US",
            Lang::Zh => "zh-CN",
        }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }
}

/// A text in up to two languages. Empty strings are stored as `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Text {
    /// English.
    pub en: Option<String>,
    /// Chinese.
    pub zh: Option<String>,
}

impl Text {
    /// A text from its two translations; blank ones (after trimming) count as missing.
    pub fn new(en: Option<String>, zh: Option<String>) -> Self {
        let keep = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        Text { en: keep(en), zh: keep(zh) }
    }

    /// The text in exactly `lang`, without falling back.
    pub fn exact(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => self.en.as_deref(),
            Lang::Zh => self.zh.as_deref(),
        }
    }

    /// The text in `lang`, or else in the other language (a missing translation shows the other
    /// language's text, never an empty cell).
    pub fn get(&self, lang: Lang) -> Option<&str> {
        self.exact(lang).or_else(|| self.exact(lang.other()))
    }

    /// [`Text::get`], or `""` when there is no text at all.
    pub fn get_or_empty(&self, lang: Lang) -> &str {
        self.get(lang).unwrap_or("")
    }

    /// True when neither language has text.
    pub fn is_empty(&self) -> bool {
        self.en.is_none() && self.zh.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_the_other_language() {
        let t = Text::new(None, Some("强制下线用户".into()));
        assert_eq!(t.get(Lang::En), Some("强制下线用户"));
        assert_eq!(t.exact(Lang::En), None);
        assert_eq!(Text::new(Some("  ".into()), None), Text::default());
    }
}
