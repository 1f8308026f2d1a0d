//! Highlight groups turned into terminal styles, cached per group id.
//!
//! With 'termguicolors' the RGB colours go out as they are; without it each colour becomes the
//! nearest entry of the xterm 256-colour cube or grey ramp, unless the group has its own
//! `ctermfg`/`ctermbg`, which then win (as in Neovim).

use ratatui::style::{Color, Modifier, Style};
use rtdvi_editor::highlight::{Highlights, HlAttrs, HlId, Rgb};

/// Styles for every highlight group, rebuilt when the table or the colour mode changes.
#[derive(Debug, Default)]
pub struct Styles {
    styles: Vec<Style>,
    generation: u64,
    truecolor: bool,
    built: bool,
}

impl Styles {
    /// Refreshes the cache if the table changed since the last call.
    pub fn refresh(&mut self, table: &Highlights, truecolor: bool) {
        if self.built && self.generation == table.generation() && self.truecolor == truecolor {
            return;
        }
        self.styles = (0..table.len() as u32).map(|i| to_style(&table.resolve(HlId(i)), truecolor)).collect();
        self.generation = table.generation();
        self.truecolor = truecolor;
        self.built = true;
    }

    /// The style of a group (unset for an unknown id).
    pub fn get(&self, id: HlId) -> Style {
        self.styles.get(id.0 as usize).copied().unwrap_or_default()
    }

    /// The style of a group by name (unset when the table has no such group).
    pub fn named(&self, table: &Highlights, name: &str) -> Style {
        table.lookup(name).map(|id| self.get(id)).unwrap_or_default()
    }
}

/// One group's attributes as a terminal style.
pub fn to_style(a: &HlAttrs, truecolor: bool) -> Style {
    let mut s = Style::default();
    let color = |rgb: Option<Rgb>, cterm: Option<u8>| -> Option<Color> {
        if truecolor {
            rgb.map(|c| Color::Rgb(c.0, c.1, c.2)).or(cterm.map(Color::Indexed))
        } else {
            cterm.map(Color::Indexed).or(rgb.map(|c| Color::Indexed(nearest_256(c))))
        }
    };
    if let Some(c) = color(a.fg, a.ctermfg) {
        s = s.fg(c);
    }
    if let Some(c) = color(a.bg, a.ctermbg) {
        s = s.bg(c);
    }
    let mut m = Modifier::empty();
    for (on, flag) in [
        (a.bold, Modifier::BOLD),
        (a.italic, Modifier::ITALIC),
        (a.underline || a.undercurl, Modifier::UNDERLINED),
        (a.reverse, Modifier::REVERSED),
        (a.strikethrough, Modifier::CROSSED_OUT),
    ] {
        if on {
            m |= flag;
        }
    }
    if !m.is_empty() {
        s = s.add_modifier(m);
    }
    s
}

/// The xterm 256-colour index closest to `c` (6×6×6 cube or the 24-step grey ramp).
pub fn nearest_256(c: Rgb) -> u8 {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let idx = |v: u8| -> usize {
        LEVELS.iter().enumerate().min_by_key(|(_, l)| (i32::from(**l) - i32::from(v)).abs()).map_or(0, |(i, _)| i)
    };
    let (r, g, b) = (idx(c.0), idx(c.1), idx(c.2));
    let cube = (LEVELS[r], LEVELS[g], LEVELS[b]);
    let dist = |x: (u8, u8, u8)| {
        let d = |p: u8, q: u8| (i32::from(p) - i32::from(q)).pow(2);
        d(x.0, c.0) + d(x.1, c.1) + d(x.2, c.2)
    };
    let avg = (u32::from(c.0) + u32::from(c.1) + u32::from(c.2)) / 3;
    let grey_i = ((avg.saturating_sub(8) + 5) / 10).min(23) as u8;
    let grey_v = 8 + 10 * grey_i;
    if dist((grey_v, grey_v, grey_v)) < dist(cube) {
        232 + grey_i
    } else {
        16 + (36 * r + 6 * g + b) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_256_picks_cube_and_greys() {
        assert_eq!(nearest_256(Rgb(255, 0, 0)), 196);
        assert_eq!(nearest_256(Rgb(0, 0, 0)), 16);
        assert_eq!(nearest_256(Rgb(0x16, 0x18, 0x1d)), 234);
        assert_eq!(nearest_256(Rgb(135, 175, 215)), 110);
    }

    #[test]
    fn cterm_colours_win_without_truecolor() {
        let a = HlAttrs { fg: Some(Rgb(1, 2, 3)), ctermfg: Some(9), bold: true, ..HlAttrs::default() };
        assert_eq!(to_style(&a, false), Style::default().fg(Color::Indexed(9)).add_modifier(Modifier::BOLD));
        assert_eq!(to_style(&a, true).fg, Some(Color::Rgb(1, 2, 3)));
    }

    #[test]
    fn cache_follows_the_table() {
        let mut table = Highlights::new(false);
        let mut styles = Styles::default();
        styles.refresh(&table, true);
        let before = styles.named(&table, "Visual");
        table.command("Visual guibg=#000001", false, false).unwrap();
        styles.refresh(&table, true);
        assert_ne!(styles.named(&table, "Visual"), before);
        assert_eq!(styles.named(&table, "Visual").bg, Some(Color::Rgb(0, 0, 1)));
    }
}
