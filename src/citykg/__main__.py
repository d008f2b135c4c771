from citykg.cli import main

main()
