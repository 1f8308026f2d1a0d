//! hello-rs: the smallest useful rtdvi plugin written with `rtdvi-pdk`.
//!
//! `:greet` sets the status line to `Hello from Rust!`; `:greet NAME...`
//! greets the names instead (`Hello, Ada and Bob!`). The greeting word comes
//! from the plugin's config table (`{name = "hello_rs", greeting = "Hi"}`),
//! which shows how config.toml options reach `rtdvi_init`.

use rtdvi_pdk::{host, Json, Plugin};

/// The plugin's state: the configured greeting word.
pub struct Hello {
    greeting: String,
}

impl Hello {
    /// The status message for `:greet` with `names`.
    pub fn message(&self, names: &[String]) -> String {
        match names {
            [] => format!("{} from Rust!", self.greeting),
            [one] => format!("{}, {one}!", self.greeting),
            [init @ .., last] => format!("{}, {} and {last}!", self.greeting, init.join(", ")),
        }
    }
}

impl Plugin for Hello {
    fn init(config: &Json) -> Result<Self, String> {
        let greeting = match config.get("greeting") {
            None => "Hello".to_string(),
            Some(Json::String(s)) if !s.is_empty() => s.clone(),
            Some(_) => return Err("greeting must be a non-empty string".into()),
        };
        host::register_command("greet").map_err(|e| e.to_string())?;
        Ok(Hello { greeting })
    }

    fn command(&mut self, _name: &str, args: &[String]) -> Result<(), String> {
        host::set_status(&self.message(args));
        Ok(())
    }
}

rtdvi_pdk::export_plugin!(Hello: command);

#[cfg(test)]
mod tests {
    use super::*;
    use rtdvi_pdk::testing;

    #[test]
    fn greets_with_the_configured_word() {
        testing::reset();
        let mut p = Hello::init(&Json::parse(r#"{"greeting":"Hi"}"#).unwrap()).unwrap();
        p.command("greet", &[]).unwrap();
        p.command("greet", &["Ada".into()]).unwrap();
        p.command("greet", &["Ada".into(), "Bob".into(), "Cy".into()]).unwrap();
        testing::with(|h| {
            assert_eq!(h.commands, ["greet"]);
            assert_eq!(h.status, ["Hi from Rust!", "Hi, Ada!", "Hi, Ada, Bob and Cy!"]);
        });
    }

    #[test]
    fn default_greeting_and_bad_config() {
        testing::reset();
        let p = Hello::init(&Json::Object(vec![])).unwrap();
        assert_eq!(p.message(&[]), "Hello from Rust!");
        assert!(Hello::init(&Json::parse(r#"{"greeting":3}"#).unwrap()).is_err());
    }
}
