//! `baocao-ls`: the language server (no argument or `--stdio`) and the command-line checker
//! (`baocao-ls check PATH…`). Argument parsing only; the work is in the library.

use baocao_ls::{cli, server};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "baocao-ls",
    version,
    about = "Máy chủ ngôn ngữ kiểm tra báo cáo Đảng và Nhà nước / Language server for Vietnamese Party and state report drafts",
    long_about = "Không có đối số (hoặc --stdio): chạy máy chủ LSP qua stdin/stdout.\n`baocao-ls check PATH…`: kiểm tra tệp .md/.txt/.docx từ dòng lệnh.\n\nWithout arguments (or with --stdio): serve LSP over stdio.\n`baocao-ls check PATH…`: check .md/.txt/.docx files from the command line."
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
    /// Kiểm tra tệp và thư mục (.md, .markdown, .txt, .docx) / check files and folders (.md, .markdown, .txt, .docx)
    Check {
        /// Định dạng kết quả / output format
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Ngôn ngữ thông báo: vi hoặc en (mặc định theo .baocao.toml, rồi vi) / message language:
        /// vi or en (default: .baocao.toml, then vi)
        #[arg(long)]
        locale: Option<String>,
        /// Bỏ qua tệp lớn hơn số MB này / skip files larger than this many megabytes
        #[arg(long, value_name = "MB", default_value_t = cli::DEFAULT_MAX_MEGABYTES)]
        max_size: u64,
        /// Với tệp .docx: ghi bản sao TÊN.baocao.docx có nhận xét Word cho từng phát hiện / for
        /// .docx files: write a copy NAME.baocao.docx with each finding as a Word comment
        #[arg(long)]
        annotate: bool,
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
        Some(Command::Check { format, locale, max_size, annotate, paths }) => {
            let locale = match locale.as_deref().map(|l| (l, baocao_core::Locale::parse(l))) {
                None => None,
                Some((_, Some(l))) => Some(l),
                Some((given, None)) => {
                    eprintln!("baocao-ls: --locale: “{given}” không hợp lệ, dùng vi hoặc en / invalid locale, use vi or en");
                    return ExitCode::from(2);
                }
            };
            let config = baocao_core::Config { locale: locale.unwrap_or_default(), ..baocao_core::Config::default() };
            let format = match format {
                OutputFormat::Text => cli::Format::Text,
                OutputFormat::Json => cli::Format::Json,
            };
            let max_bytes = max_size.saturating_mul(1024 * 1024);
            let word = baocao_ls::docx_cli::Options { annotate };
            let code = cli::run_with(
                &paths,
                format,
                &config,
                locale,
                max_bytes,
                word,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            );
            ExitCode::from(code as u8)
        }
    }
}
