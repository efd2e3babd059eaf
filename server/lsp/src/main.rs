//! `baocao-ls`: the language server (no argument or `--stdio`) and the command-line checker
//! (`baocao-ls check PATH…`). Argument parsing only; the work is in the library.

use baocao_ls::{cli, config, server};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "baocao-ls",
    version,
    about = "Máy chủ ngôn ngữ kiểm tra báo cáo Đảng và Nhà nước / Language server for Vietnamese Party and state report drafts",
    long_about = "Không có đối số (hoặc --stdio): chạy máy chủ LSP qua stdin/stdout.\n`baocao-ls check PATH…`: kiểm tra tệp .md/.txt từ dòng lệnh.\n\nWithout arguments (or with --stdio): serve LSP over stdio.\n`baocao-ls check PATH…`: check .md/.txt files from the command line."
)]
struct Args {
    /// Phục vụ LSP qua stdio (mặc định) / serve LSP over stdio (the default)
    #[arg(long)]
    stdio: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Kiểm tra tệp và thư mục (.md, .txt) / check files and folders (.md, .txt)
    Check {
        /// Định dạng kết quả / output format
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Ngôn ngữ thông báo: vi hoặc en / message language: vi or en
        #[arg(long, default_value = "vi")]
        locale: String,
        /// Tệp hoặc thư mục / files or folders
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match args.command {
        None => {
            server::serve_stdio();
            ExitCode::SUCCESS
        }
        Some(Command::Check { format, locale, paths }) => {
            let (config, problems) = config::parse(&serde_json::json!({ "locale": locale }));
            if !problems.is_empty() {
                for p in problems {
                    eprintln!("baocao-ls: {p}");
                }
                return ExitCode::from(2);
            }
            let format = match format {
                OutputFormat::Text => cli::Format::Text,
                OutputFormat::Json => cli::Format::Json,
            };
            let code = cli::run(&paths, format, &config, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
            ExitCode::from(code as u8)
        }
    }
}
