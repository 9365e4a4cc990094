use super::EXIT_UNREADABLE;
use newsdesk::sync::net::server;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on; port 0 picks a free one (printed on the first line).
    /// Only this machine can connect by default: put a TLS reverse proxy in front for a newsroom.
    #[arg(long, default_value = "127.0.0.1:7878")]
    bind: String,
    /// Folder that keeps the rooms; made if missing.
    #[arg(long)]
    data: Option<PathBuf>,
}

pub fn run(args: &ServeArgs) -> ExitCode {
    let data = args.data.clone().unwrap_or_else(|| {
        dirs::data_local_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("newsdesk")
            .join("rooms")
    });
    match server::run(&args.bind, data) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}
